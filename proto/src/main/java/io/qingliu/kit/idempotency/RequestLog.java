package io.qingliu.kit.idempotency;

import com.google.protobuf.Message;
import io.qingliu.kit.grpc.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * AIP-155 request ids. Inside the write's transaction, {@link #claim} reserves the id; a retry
 * of a committed request finds the stored first response instead. Two concurrent calls with one
 * id serialize on the primary key: the second waits for the first to commit, then replays it.
 */
@ApplicationScoped
public class RequestLog {

    private final EntityManager em;

    RequestLog(EntityManager em) {
        this.em = em;
    }

    /** The parsed request id of a request, or null when none was given; a malformed one is a field error. */
    public static UUID parse(String requestId, String field) {
        if (requestId == null || requestId.isEmpty()) {
            return null;
        }
        try {
            UUID id = UUID.fromString(requestId);
            if (!id.toString().equalsIgnoreCase(requestId)) {
                throw new IllegalArgumentException();
            }
            return id;
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidArgument(field, "must be a UUID such as 0f8fad5b-d9cb-469f-a165-70867728950e");
        }
    }

    /**
     * Claims {@code requestId} for this transaction. Returns the stored response bytes when the same
     * request was already answered; empty when this call is the first and must do the work and then
     * {@link #complete} it.
     */
    public Optional<byte[]> claim(UUID requestId, String method, Message request) {
        return claimFingerprint(requestId, method, fingerprint(method, request.toByteString().toByteArray()));
    }

    /** As {@link #claim}, for a request known by a fingerprint of its content (a stream's SHA-256). */
    public Optional<byte[]> claimFingerprint(UUID requestId, String method, byte[] hash) {
        int inserted = em.createNativeQuery(
                "INSERT INTO request_log (request_id, method, request_hash) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING")
                .setParameter(1, requestId).setParameter(2, method).setParameter(3, hash).executeUpdate();
        if (inserted == 1) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                "SELECT method, request_hash, response FROM request_log WHERE request_id = ?1")
                .setParameter(1, requestId).getResultList();
        Object[] row = rows.get(0);
        if (!method.equals(row[0]) || !Arrays.equals(hash, (byte[]) row[1])) {
            throw ApiException.invalidArgument("request_id",
                    "was already used for a different request; use a new UUID for every distinct request");
        }
        return Optional.of((byte[]) row[2]);
    }

    /** Whether {@code requestId} was claimed by a transaction that has committed its answer. */
    public boolean isAnswered(UUID requestId) {
        return !em.createNativeQuery("SELECT 1 FROM request_log WHERE request_id = ?1 AND response IS NOT NULL")
                .setParameter(1, requestId).getResultList().isEmpty();
    }

    /** Stores the response of a claimed request, in the same transaction as its work. */
    public void complete(UUID requestId, Message response) {
        em.createNativeQuery("UPDATE request_log SET response = ?2 WHERE request_id = ?1")
                .setParameter(1, requestId).setParameter(2, response.toByteArray()).executeUpdate();
    }

    private static byte[] fingerprint(String method, byte[] request) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(method.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            sha.update(request);
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
