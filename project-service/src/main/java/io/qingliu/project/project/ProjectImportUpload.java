package io.qingliu.project.project;

import io.grpc.stub.StreamObserver;
import io.qingliu.api.project.v1.ImportProjectsRequest;
import io.qingliu.api.project.v1.ImportProjectsResponse;
import io.qingliu.project.grpc.SpooledUpload;
import io.qingliu.project.grpc.UploadWatch;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The ImportProjects stream: messages are spooled as they come, with a SHA-256 of the whole. */
public final class ProjectImportUpload extends SpooledUpload<ImportProjectsRequest, ImportProjectsResponse> {

    static final long MAX_BYTES = 512L * 1024 * 1024;

    private final ProjectImporter importer;
    private final MessageDigest sha;
    private Path path;
    private OutputStream out;
    private ImportProjectsRequest first;

    public ProjectImportUpload(StreamObserver<ImportProjectsResponse> response, ProjectImporter importer, UploadWatch watch) {
        super(response, MAX_BYTES, watch);
        this.importer = importer;
        try {
            this.sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected void spool(ImportProjectsRequest message) throws IOException {
        if (first == null) {
            first = message;
            path = newSpoolFile("qingliu-projects");
            out = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(path), 1 << 16), sha);
        }
        count(message.getSerializedSize());
        message.writeDelimitedTo(out);
    }

    @Override
    protected ImportProjectsResponse finish() throws IOException {
        if (first == null) {
            path = newSpoolFile("qingliu-projects");
        }
        return importer.importSpool(path, first == null ? ImportProjectsRequest.getDefaultInstance() : first, sha.digest());
    }

    @Override
    protected void closeSpool() throws IOException {
        if (out != null) {
            out.close();
        }
    }
}
