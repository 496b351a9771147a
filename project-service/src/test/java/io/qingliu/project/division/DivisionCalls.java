package io.qingliu.project.division;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qingliu.api.project.v1.Division;
import io.qingliu.api.project.v1.DivisionFileRole;
import io.qingliu.api.project.v1.GetDivisionRequest;
import io.qingliu.api.project.v1.ImportDivisionsRequest;
import io.qingliu.api.project.v1.ListDivisionsRequest;
import io.qingliu.api.project.v1.ListDivisionsResponse;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Calls of the division API that take more than one line: import messages, listing every page. The
 * streamed import itself goes through {@link io.qingliu.kit.testing.ClientStreams}, the feed
 * through {@link io.qingliu.project.testing.ChangeFeedReader}.
 */
final class DivisionCalls {

    private DivisionCalls() {
    }

    // --- ImportDivisions -------------------------------------------------------------------------

    /** One file's bytes cut into messages of at most {@code chunkSize} bytes (cuts may split a UTF-8 character). */
    static List<ImportDivisionsRequest> chunks(DivisionFileRole role, byte[] content, int chunkSize) {
        List<ImportDivisionsRequest> messages = new ArrayList<>();
        for (int from = 0; from < content.length; from += chunkSize) {
            messages.add(ImportDivisionsRequest.newBuilder().setRole(role)
                    .setContent(ByteString.copyFrom(content, from, Math.min(chunkSize, content.length - from))).build());
        }
        if (messages.isEmpty()) {
            messages.add(ImportDivisionsRequest.newBuilder().setRole(role).build());
        }
        return messages;
    }

    /** A four-column file from its lines (header included), as messages of {@code chunkSize} bytes. */
    static List<ImportDivisionsRequest> fourColumn(List<String> lines, int chunkSize) {
        return chunks(DivisionFileRole.DIVISION_FILE_ROLE_DIVISIONS,
                (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8), chunkSize);
    }

    /** The same messages with the options set on the first one. */
    static List<ImportDivisionsRequest> withOptions(List<ImportDivisionsRequest> messages, boolean validateOnly,
            String... completeUnderCodes) {
        List<ImportDivisionsRequest> out = new ArrayList<>(messages);
        out.set(0, out.get(0).toBuilder().setValidateOnly(validateOnly).addAllCompleteUnderCodes(List.of(completeUnderCodes))
                .build());
        return out;
    }

    // --- Get / List ------------------------------------------------------------------------------

    static Division get(ProjectServiceGrpc.ProjectServiceBlockingStub stub, String code) {
        return stub.getDivision(GetDivisionRequest.newBuilder().setName("divisions/" + code).build());
    }

    static boolean exists(ProjectServiceGrpc.ProjectServiceBlockingStub stub, String code) {
        try {
            get(stub, code);
            return true;
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    /** Every division the filter matches, page by page, checking that no page is larger than asked and none repeats a unit. */
    static List<Division> listAll(ProjectServiceGrpc.ProjectServiceBlockingStub stub, String filter, String orderBy,
            int pageSize) {
        List<Division> all = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String token = "";
        int pages = 0;
        do {
            ListDivisionsResponse page = stub.listDivisions(ListDivisionsRequest.newBuilder().setFilter(filter)
                    .setOrderBy(orderBy).setPageSize(pageSize).setPageToken(token).build());
            int limit = pageSize == 0 ? 100 : pageSize;
            assertTrue(page.getDivisionsCount() <= limit, "a page holds at most page_size divisions");
            if (!page.getNextPageToken().isEmpty()) {
                assertTrue(page.getDivisionsCount() == limit, "a page followed by another is full");
            }
            for (Division d : page.getDivisionsList()) {
                assertTrue(seen.add(d.getCode()), () -> d.getCode() + " listed twice");
                all.add(d);
            }
            token = page.getNextPageToken();
            assertTrue(++pages < 100_000, "paging does not end");
        } while (!token.isEmpty());
        return all;
    }

    static List<String> codes(List<Division> divisions) {
        return divisions.stream().map(Division::getCode).toList();
    }
}
