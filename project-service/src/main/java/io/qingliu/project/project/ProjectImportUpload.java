package io.qingliu.project.project;

import io.grpc.stub.StreamObserver;
import io.qingliu.api.project.v1.ImportProjectsRequest;
import io.qingliu.api.project.v1.ImportProjectsResponse;
import io.qingliu.project.grpc.GrowingSpool;
import io.qingliu.project.grpc.SpooledUpload;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The ImportProjects stream: messages are spooled as they come, and the import starts with the
 * first of them, reading the spool as it grows, so that the database writes while the client is
 * still sending.
 */
public final class ProjectImportUpload extends SpooledUpload<ImportProjectsRequest, ImportProjectsResponse> {

    static final long MAX_BYTES = 512L * 1024 * 1024;

    private final ProjectImporter importer;
    private GrowingSpool spool;
    private CompletableFuture<ImportProjectsResponse> result;

    public ProjectImportUpload(StreamObserver<ImportProjectsResponse> response, ProjectImporter importer) {
        super(response, MAX_BYTES);
        this.importer = importer;
    }

    @Override
    protected void spool(ImportProjectsRequest message) throws IOException {
        if (spool == null) {
            start(message);
        }
        count(message.getSerializedSize());
        spool.append(message);
    }

    private void start(ImportProjectsRequest first) throws IOException {
        spool = new GrowingSpool(newSpoolFile("qingliu-projects"));
        result = importer.start(first, spool);
    }

    @Override
    protected ImportProjectsResponse finish() throws Exception {
        if (spool == null) {
            start(ImportProjectsRequest.getDefaultInstance()); // no message: the import reports it
            spool.complete();
        }
        try {
            return result.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    @Override
    protected void closeSpool() throws IOException {
        if (spool != null) {
            spool.complete();
        }
    }

    @Override
    protected void abandon() {
        if (spool != null) {
            spool.abandon("the client cancelled the call or the upload failed");
        }
    }
}
