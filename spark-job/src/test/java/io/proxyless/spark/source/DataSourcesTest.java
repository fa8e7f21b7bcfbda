package io.proxyless.spark.source;

import io.proxyless.nas.config.DatasetConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DataSourcesTest {

    /** The option's values are the registered sources' names (nas-core cannot see spark-job's sources). */
    @Test
    void theFormatOptionAllowsExactlyTheRegisteredSources() {
        assertEquals(DataSources.formats(), DatasetConfig.FORMATS);
    }
}
