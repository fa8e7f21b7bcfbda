package io.proxyless.spark.source;

import io.proxyless.nas.config.DatasetConfig;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;

/** A folder of class folders of images ({@code root/cat/1.png}), as torchvision's ImageFolder. */
final class ImageFolderSource implements DataSource {

    @Override
    public String name() {
        return "image-folder";
    }

    @Override
    public boolean detects(SparkSession spark, Location location) throws IOException {
        return location.isFolder() && ImageFolderTable.looksLikeImageFolder(location.fs(), location.path());
    }

    @Override
    public ImageTable open(SparkSession spark, DatasetConfig dataset, Part part) throws IOException {
        String path = dataset.pathOrDefault();
        return new ImageTable(ImageFolderTable.read(spark, path, dataset.allowEmptyClasses()), "image", "label",
                DataSources.ORIGIN, null, "image folder " + path);
    }
}
