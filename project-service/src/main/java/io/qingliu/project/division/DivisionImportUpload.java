package io.qingliu.project.division;

import io.grpc.stub.StreamObserver;
import io.qingliu.api.project.v1.DivisionFileRole;
import io.qingliu.api.project.v1.ImportDivisionsRequest;
import io.qingliu.api.project.v1.ImportDivisionsResponse;
import io.qingliu.kit.grpc.ApiException;
import io.qingliu.project.grpc.SpooledUpload;
import io.qingliu.project.grpc.UploadWatch;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The ImportDivisions stream: chunks of each file are concatenated into a spool file per role. */
public final class DivisionImportUpload extends SpooledUpload<ImportDivisionsRequest, ImportDivisionsResponse> {

    /** The national list is ~70 MB uncompressed; anything far beyond is not a division list. */
    static final long MAX_BYTES = 512L * 1024 * 1024;

    private final DivisionImporter importer;
    private final Map<DivisionFileRole, Path> paths = new EnumMap<>(DivisionFileRole.class);
    private final Map<DivisionFileRole, OutputStream> streams = new EnumMap<>(DivisionFileRole.class);
    private ImportDivisionsRequest first;

    public DivisionImportUpload(StreamObserver<ImportDivisionsResponse> response, DivisionImporter importer, UploadWatch watch) {
        super(response, MAX_BYTES, watch);
        this.importer = importer;
    }

    @Override
    protected void spool(ImportDivisionsRequest message) throws IOException {
        if (first == null) {
            first = message;
        }
        DivisionFileFormat format = format(message.getRole(), message.getRoleValue());
        count(message.getContent().size());
        OutputStream out = streams.get(message.getRole());
        if (out == null) {
            Path path = newSpoolFile("qingliu-divisions-" + format.name().toLowerCase());
            paths.put(message.getRole(), path);
            out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16);
            streams.put(message.getRole(), out);
        }
        message.getContent().writeTo(out);
    }

    @Override
    protected ImportDivisionsResponse finish() {
        List<DivisionImporter.ImportFile> files = new ArrayList<>();
        paths.forEach((role, path) -> {
            DivisionFileFormat format = format(role, role.getNumber());
            files.add(new DivisionImporter.ImportFile(format, fileName(format), path));
        });
        ImportDivisionsRequest options = first == null ? ImportDivisionsRequest.getDefaultInstance() : first;
        return importer.importFiles(files, options.getCompleteUnderCodesList(), options.getValidateOnly());
    }

    @Override
    protected void closeSpool() throws IOException {
        for (OutputStream out : streams.values()) {
            out.close();
        }
    }

    /** The name a file of this layout has, for error messages. */
    static String fileName(DivisionFileFormat format) {
        return format == DivisionFileFormat.FOUR_COLUMN ? "divisions.csv" : format.name().toLowerCase() + ".csv";
    }

    static DivisionFileFormat format(DivisionFileRole role, int number) {
        return switch (role) {
            case DIVISION_FILE_ROLE_DIVISIONS -> DivisionFileFormat.FOUR_COLUMN;
            case DIVISION_FILE_ROLE_PROVINCES -> DivisionFileFormat.PROVINCES;
            case DIVISION_FILE_ROLE_CITIES -> DivisionFileFormat.CITIES;
            case DIVISION_FILE_ROLE_AREAS -> DivisionFileFormat.AREAS;
            case DIVISION_FILE_ROLE_STREETS -> DivisionFileFormat.STREETS;
            case DIVISION_FILE_ROLE_VILLAGES -> DivisionFileFormat.VILLAGES;
            default -> throw ApiException.invalidArgument("role", number == 0 ? "is required: which file the chunk belongs to"
                    : "unknown value " + number);
        };
    }
}
