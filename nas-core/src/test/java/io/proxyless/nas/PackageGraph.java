package io.proxyless.nas;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;

/**
 * The package imports of a module's compiled classes, read with the JDK's {@code jdeps}, and the
 * cycles among them (strongly connected sets of two or more packages).
 */
public final class PackageGraph {

    private final Map<String, Set<String>> imports;

    private PackageGraph(Map<String, Set<String>> imports) {
        this.imports = imports;
    }

    /** The graph of the project's own packages ({@code prefix}) in {@code classes}. */
    public static PackageGraph of(Path classes, String prefix) {
        if (!Files.isDirectory(classes)) {
            throw new IllegalStateException(classes + " does not exist: compile the module first");
        }
        ToolProvider jdeps = ToolProvider.findFirst("jdeps")
                .orElseThrow(() -> new IllegalStateException("jdeps is not in this JDK (" + System.getProperty("java.home") + ")"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:package", "-filter:none",
                classes.toString());
        if (status != 0) {
            throw new IllegalStateException("jdeps exited with " + status + ": " + err);
        }
        Map<String, Set<String>> imports = new TreeMap<>();
        for (String line : out.toString().split("\n")) {
            String[] words = line.trim().split("\\s+");
            if (words.length >= 3 && words[1].equals("->") && words[0].startsWith(prefix)) {
                Set<String> targets = imports.computeIfAbsent(words[0], k -> new TreeSet<>());
                if (words[2].startsWith(prefix) && !words[0].equals(words[2])) {
                    targets.add(words[2]);
                }
            }
        }
        return new PackageGraph(imports);
    }

    public Set<String> packages() {
        return imports.keySet();
    }

    /** Each cycle with the imports inside it, one line per package; empty when the graph is acyclic. */
    public List<String> cycles() {
        List<String> described = new ArrayList<>();
        for (Set<String> members : stronglyConnected()) {
            StringBuilder text = new StringBuilder("cycle of " + members.size() + " packages:");
            for (String from : members) {
                Set<String> inside = new TreeSet<>(imports.getOrDefault(from, Set.of()));
                inside.retainAll(members);
                text.append("\n  ").append(from).append(" -> ").append(String.join(", ", inside));
            }
            described.add(text.toString());
        }
        return described;
    }

    /** Tarjan's algorithm, iterative over an explicit stack of (package, next edge) frames. */
    private List<Set<String>> stronglyConnected() {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new HashSet<>();
        List<Set<String>> components = new ArrayList<>();
        for (String root : imports.keySet()) {
            if (index.containsKey(root)) {
                continue;
            }
            Deque<Map.Entry<String, java.util.Iterator<String>>> frames = new ArrayDeque<>();
            index.put(root, index.size());
            low.put(root, index.get(root));
            stack.push(root);
            onStack.add(root);
            frames.push(Map.entry(root, imports.getOrDefault(root, Set.of()).iterator()));
            while (!frames.isEmpty()) {
                String v = frames.peek().getKey();
                java.util.Iterator<String> next = frames.peek().getValue();
                if (next.hasNext()) {
                    String w = next.next();
                    if (!index.containsKey(w)) {
                        index.put(w, index.size());
                        low.put(w, index.get(w));
                        stack.push(w);
                        onStack.add(w);
                        frames.push(Map.entry(w, imports.getOrDefault(w, Set.of()).iterator()));
                    } else if (onStack.contains(w)) {
                        low.put(v, Math.min(low.get(v), index.get(w)));
                    }
                    continue;
                }
                frames.pop();
                if (!frames.isEmpty()) {
                    String parent = frames.peek().getKey();
                    low.put(parent, Math.min(low.get(parent), low.get(v)));
                }
                if (low.get(v).equals(index.get(v))) {
                    Set<String> members = new TreeSet<>();
                    String w;
                    do {
                        w = stack.pop();
                        onStack.remove(w);
                        members.add(w);
                    } while (!w.equals(v));
                    if (members.size() > 1) {
                        components.add(members);
                    }
                }
            }
        }
        return components;
    }
}
