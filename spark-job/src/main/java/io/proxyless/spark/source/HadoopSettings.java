package io.proxyless.spark.source;

import org.apache.hadoop.conf.Configuration;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/** The driver's Hadoop settings, carried to tasks that open files themselves (credentials, endpoints). */
final class HadoopSettings implements Serializable {

    private static final long serialVersionUID = 1L;

    private final Map<String, String> entries = new HashMap<>();
    private transient Configuration conf;

    HadoopSettings(Configuration from) {
        from.forEach(e -> entries.put(e.getKey(), e.getValue()));
    }

    Configuration conf() {
        if (conf == null) {
            Configuration c = new Configuration(false);
            entries.forEach(c::set);
            conf = c;
        }
        return conf;
    }
}
