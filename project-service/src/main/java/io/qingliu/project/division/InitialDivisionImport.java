package io.qingliu.project.division;

import io.qingliu.project.support.QingliuConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * At first start, when the registry holds no division, imports the configured list
 * ({@code qingliu.divisions.initial-import}): by default Ziyang's, shipped in the service.
 */
@ApplicationScoped
public class InitialDivisionImport {

    private static final Logger LOG = Logger.getLogger(InitialDivisionImport.class);
    private static final String CLASSPATH = "classpath:";

    private final QingliuConfig config;
    private final DivisionImporter importer;
    private final EntityManager em;

    InitialDivisionImport(QingliuConfig config, DivisionImporter importer, EntityManager em) {
        this.config = config;
        this.importer = importer;
        this.em = em;
    }

    void onStart(@Observes StartupEvent event) throws IOException {
        String source = config.divisions().initialImport().strip();
        if (source.equals("none") || source.isEmpty() || !registryIsEmpty()) {
            return;
        }
        List<Path> temporary = new ArrayList<>();
        try {
            List<DivisionImporter.ImportFile> files = files(source, temporary);
            var result = importer.importFiles(files, List.of(), false);
            LOG.infof("imported the division list %s: %d units added", source, result.getAddedCount());
        } finally {
            for (Path p : temporary) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Transactional
    boolean registryIsEmpty() {
        return em.createQuery("SELECT 1 FROM Division d").setMaxResults(1).getResultList().isEmpty();
    }

    /** The files of a source: a classpath resource or file (four-column), or a directory of the national files. */
    static List<DivisionImporter.ImportFile> files(String source, List<Path> temporary) throws IOException {
        if (source.startsWith(CLASSPATH)) {
            String resource = source.substring(CLASSPATH.length());
            try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("qingliu.divisions.initial-import: no resource " + resource);
                }
                Path copy = Files.createTempFile("qingliu-divisions", ".csv");
                temporary.add(copy);
                Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
                return List.of(new DivisionImporter.ImportFile(DivisionFileFormat.FOUR_COLUMN, resource, copy));
            }
        }
        Path path = Path.of(source);
        if (Files.isRegularFile(path)) {
            return List.of(new DivisionImporter.ImportFile(DivisionFileFormat.FOUR_COLUMN, path.getFileName().toString(), path));
        }
        if (!Files.isDirectory(path)) {
            throw new IllegalStateException("qingliu.divisions.initial-import: " + source + " is neither a file nor a directory");
        }
        List<DivisionImporter.ImportFile> files = new ArrayList<>();
        try (var listing = Files.list(path)) {
            for (Path file : listing.sorted().toList()) {
                Optional<DivisionFileFormat> format = DivisionFileFormat.forNationalFileName(file.getFileName().toString());
                format.ifPresent(f -> files.add(new DivisionImporter.ImportFile(f, file.getFileName().toString(), file)));
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("qingliu.divisions.initial-import: " + source + " holds none of provinces.csv, "
                    + "cities.csv, areas.csv, streets.csv, villages.csv (optionally .gz)");
        }
        return files;
    }
}
