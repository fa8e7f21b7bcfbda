package io.proxyless.nas.report;

import io.proxyless.nas.TestData;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.hardware.HardwareResolver;
import io.proxyless.nas.io.LocalOutputFolder;
import io.proxyless.nas.latency.SpaceLatency;
import io.proxyless.nas.train.SearchRun;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real search with a latency target writes {@code report.html}; headless Chromium opens it from
 * disk with the network off, runs its scripts, and the page reports every chart drawn (pixels on
 * each canvas) and no script error. A screenshot is saved beside it.
 */
class SearchReportBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @Test
    void everyChartOfTheReportRendersInChromium(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM),
                "skipped: no headless Chromium at /usr/bin/chromium (apt-get install chromium; scripts/test installs it)");
        TrainerConfig config = TestData.smallSearch(480, 3).toBuilder().set("warmup_epochs", 1).set("applied_hardware", "flops")
                .set("grad_reg_loss_type", "add#linear").set("target_latency", 3.0).set("log_frequency", 3).build();
        SpaceLatency latency = HardwareResolver.resolve(config, path -> "", (h, s, b) -> null);
        Path run = dir.resolve("run");
        SearchRun.run(config, TestData.loader(config), new LocalOutputFolder(run), latency);
        Path report = run.resolve(SearchReport.FILE);
        assertTrue(Files.exists(report), "the search wrote report.html");
        String html = Files.readString(report);
        assertFalse(Pattern.compile("<script[^>]+src=|<link[^>]+href=\"http").matcher(html).find(),
                "the report loads nothing from elsewhere");

        String dom = chromium(dir, "--dump-dom", report);
        Matcher body = Pattern.compile("<body([^>]*)>").matcher(dom);
        assertTrue(body.find(), dom.substring(0, Math.min(500, dom.length())));
        String attributes = body.group(1);
        assertEquals("true", attribute(attributes, "data-rendered"), "the page script ran to its end: " + attributes);
        assertEquals("0", attribute(attributes, "data-errors"), "script errors: " + errorsOf(dom));
        // Three cells, then loss, accuracy, latency, and the uniform networks.
        assertEquals("7", attribute(attributes, "data-charts"), attributes);
        assertEquals("", attribute(attributes, "data-blank"), "charts that drew nothing");
        for (String label : List.of("s0", "s1", "s2")) {
            assertTrue(dom.contains("<div class=\"label\">" + label + "</div>"), "the chain shows " + label);
        }
        Path screenshot = dir.resolve("report.png");
        chromium(dir, "--screenshot=" + screenshot, report);
        assertTrue(Files.size(screenshot) > 10_000, "a screenshot of the report");
        Path kept = Path.of("target", "report-screenshot.png");
        Files.createDirectories(kept.getParent());
        Files.copy(screenshot, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static String chromium(Path dir, String action, Path page) throws Exception {
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-extensions", "--disable-background-networking",
                // Nothing may leave the machine: every host resolves nowhere.
                "--host-resolver-rules=MAP * ~NOTFOUND", "--user-data-dir=" + dir.resolve("chromium-profile"),
                "--window-size=1400,2200", "--virtual-time-budget=5000", action, page.toUri().toString()));
        Process process = new ProcessBuilder(command).redirectError(dir.resolve("chromium.log").toFile()).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "chromium did not finish");
        assertEquals(0, process.exitValue(), Files.readString(dir.resolve("chromium.log")));
        return new String(out, StandardCharsets.UTF_8);
    }

    private static String attribute(String attributes, String name) {
        Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(attributes);
        return m.find() ? m.group(1) : null;
    }

    private static String errorsOf(String dom) {
        Matcher m = Pattern.compile("<div id=\"errors\">(.*?)</div>", Pattern.DOTALL).matcher(dom);
        return m.find() ? m.group(1) : "?";
    }
}
