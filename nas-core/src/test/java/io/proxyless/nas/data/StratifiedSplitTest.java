package io.proxyless.nas.data;

import io.proxyless.nas.train.InProcessData;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StratifiedSplitTest {

    private static final List<String> NAMES = InProcessData.integerClassNames(10);

    /** 100 distinct 2x2 images, sorted by class, as NNI's halves would break. */
    private static ImageDataset sortedByClass(int perClass) {
        int n = 10 * perClass;
        byte[] pixels = new byte[n * 4];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i / perClass;
            pixels[4 * i] = (byte) i;
            pixels[4 * i + 1] = (byte) (i >> 8);
            pixels[4 * i + 2] = (byte) (i * 7);
        }
        return ImageDataset.of(pixels, labels, 1, 2, 2);
    }

    @Test
    void everyClassIsSplitInTheSameProportion() {
        ImageDataset data = sortedByClass(10);
        ImageDataset[] splits = StratifiedSplit.of(data, NAMES, 10, 0, 0.5, 1);
        for (ImageDataset part : splits) {
            assertEquals(50, part.size());
            part.classCounts().values().forEach(n -> assertEquals(5, n));
        }
    }

    /** The split depends on the rows, not on their order: a table read in another layout splits the same. */
    @Test
    void theSplitDoesNotDependOnTheRowOrder() {
        ImageDataset data = sortedByClass(30);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(5));
        ImageDataset shuffled = data.subset(order.stream().mapToInt(Integer::intValue).toArray());
        ImageDataset[] a = StratifiedSplit.of(data, NAMES, 10, 120, 0.5, 3);
        ImageDataset[] b = StratifiedSplit.of(shuffled, NAMES, 10, 120, 0.5, 3);
        for (int s = 0; s < 2; s++) {
            assertEquals(a[s].size(), b[s].size());
            assertEquals(a[s].checksum(), b[s].checksum());
            for (int i = 0; i < a[s].size(); i++) {
                assertEquals(a[s].key(i), b[s].key(i), "row " + i);
            }
        }
        assertEquals(60, a[0].size());
        assertNotEquals(a[0].checksum(), StratifiedSplit.of(data, NAMES, 10, 120, 0.5, 4)[0].checksum(),
                "another seed gives another split");
    }

    @Test
    void aSampleIsStratifiedAndNestedInTheFullOrder() {
        ImageDataset data = sortedByClass(30);
        ImageDataset[] small = StratifiedSplit.of(data, NAMES, 10, 100, 0.5, 2);
        assertEquals(50, small[0].size());
        small[0].classCounts().values().forEach(n -> assertEquals(5, n));
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 1, 1, 1, 1, 1}, small[0].labels(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}),
                "rows are numbered class after class");
    }

    @Test
    void aClassTooSmallForBothSplitsIsNamed() {
        ImageDataset data = sortedByClass(10);
        int[] rows = java.util.stream.IntStream.range(0, 100).filter(i -> i / 10 != 3 || i == 30).toArray();
        BadDataException e = assertThrows(BadDataException.class,
                () -> StratifiedSplit.of(data.subset(rows), NAMES, 10, 0, 0.5, 1));
        assertTrue(e.getMessage().contains("class '3'") && e.getMessage().contains("has 1 rows"), e.getMessage());
    }
}
