package io.qingliu.project.feed;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import io.agroal.api.AgroalDataSource;
import io.qingliu.api.project.v1.AuditAction;
import io.qingliu.api.project.v1.AuditRecord;
import io.qingliu.api.project.v1.Change;
import io.qingliu.api.project.v1.FieldChange;
import io.qingliu.api.project.v1.ListProjectHistoryRequest;
import io.qingliu.api.project.v1.ListProjectHistoryResponse;
import io.qingliu.kit.grpc.ApiException;
import io.qingliu.kit.query.FilterSpec;
import io.qingliu.kit.query.Keyset;
import io.qingliu.kit.query.ListQuery;
import io.qingliu.kit.query.OrderSpec;
import io.qingliu.kit.query.Page;
import io.qingliu.kit.query.SortField;
import io.qingliu.kit.support.IdName;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The audit trail, read from the change log: each entry is one change of the record, and its
 * field changes are the differences between that change's snapshot and the one before it.
 */
@ApplicationScoped
public class AuditTrail {

    /** Fields that change with every write and say nothing of their own. */
    private static final Set<String> NOISE = Set.of("update_time", "etag");

    private static final OrderSpec ORDER = OrderSpec.of("c.seq", "sequence", SortField.of("sequence", "c.seq", Long.class));

    private final AgroalDataSource dataSource;

    AuditTrail(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    private record Row(long seq, String action, String actor, String role, Change change) {
    }

    public ListProjectHistoryResponse projectHistory(ListProjectHistoryRequest request) throws SQLException {
        String name = IdName.PROJECT.format(IdName.PROJECT.parse(request.getName(), "name"));
        ListQuery query = ListQuery.builder(
                "SELECT c.seq, c.action, c.actor, c.actor_role, c.payload FROM change_log c", FilterSpec.none(), ORDER,
                name + "/history").where("c.resource_name = ?", name)
                .request("", "", request.getPageToken(), request.getPageSize()).build();
        try (Connection c = dataSource.getConnection()) {
            List<Row> rows = rows(c, query.sql(), query.parameters());
            if (rows.isEmpty() && request.getPageToken().isEmpty()) {
                throw ApiException.notFound(name);
            }
            Page<Row> page = query.page(rows, r -> new Keyset(r.seq(), r.seq()));
            Message previous = page.items().isEmpty() ? null : previousSnapshot(c, name, page.items().get(0).seq());
            ListProjectHistoryResponse.Builder response = ListProjectHistoryResponse.newBuilder()
                    .setNextPageToken(page.nextPageToken());
            for (Row row : page.items()) {
                Message snapshot = row.change().getProject();
                AuditRecord.Builder record = AuditRecord.newBuilder().setResourceName(name).setSequence(row.seq())
                        .setRecordTime(row.change().getRecordTime()).setActor(row.actor())
                        .setAction(AuditAction.valueOf(row.action()));
                if (row.role() != null) {
                    record.setActorRole(row.role());
                }
                record.addAllFieldChanges(diff(previous, snapshot));
                response.addRecords(record);
                previous = snapshot;
            }
            return response.build();
        }
    }

    private static List<Row> rows(Connection c, String sql, List<Object> parameters) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                st.setObject(i + 1, parameters.get(i));
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    // The log stores the AuditAction name itself (AUDIT_ACTION_CREATED, …), as ChangeLog writes it.
                    rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            parse(rs.getBytes(5))));
                }
            }
        }
        return rows;
    }

    private static Message previousSnapshot(Connection c, String name, long before) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "SELECT payload FROM change_log WHERE resource_name = ? AND seq < ? ORDER BY seq DESC LIMIT 1")) {
            st.setString(1, name);
            st.setLong(2, before);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? parse(rs.getBytes(1)).getProject() : null;
            }
        }
    }

    /** Every top-level field whose value differs between two snapshots; for the first, every field set. */
    static List<FieldChange> diff(Message before, Message after) {
        List<FieldChange> changes = new ArrayList<>();
        for (FieldDescriptor fd : after.getDescriptorForType().getFields()) {
            if (NOISE.contains(fd.getName())) {
                continue;
            }
            String old = before == null ? "" : text(before, fd);
            String now = text(after, fd);
            if (!old.equals(now)) {
                changes.add(FieldChange.newBuilder().setField(fd.getName()).setOldValue(old).setNewValue(now).build());
            }
        }
        return changes;
    }

    private static String text(Message m, FieldDescriptor fd) {
        if (fd.isRepeated() ? m.getRepeatedFieldCount(fd) == 0 : !m.hasField(fd)) {
            return "";
        }
        Object value = m.getField(fd);
        if (value instanceof Message message) {
            return TextFormat.printer().emittingSingleLine(true).escapingNonAscii(false).printToString(message).strip();
        }
        if (fd.isRepeated()) {
            List<String> items = new ArrayList<>();
            for (Object item : (List<?>) value) {
                items.add(item instanceof Message msg
                        ? "{" + TextFormat.printer().emittingSingleLine(true).escapingNonAscii(false).printToString(msg).strip() + "}"
                        : String.valueOf(item));
            }
            return String.join(", ", items);
        }
        if (fd.getType() == FieldDescriptor.Type.ENUM) {
            return ((com.google.protobuf.Descriptors.EnumValueDescriptor) value).getName();
        }
        return String.valueOf(value);
    }

    private static Change parse(byte[] payload) {
        try {
            return Change.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("unreadable change in the log", e);
        }
    }
}
