package io.qingliu.gateway.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** RFC 4180 quoting, on strings (the report) and on UTF-8 bytes as the services send them (the export): the same. */
class CsvQuotingTest {

    @Test
    void fieldsWithCommasQuotesOrLineBreaksAreQuotedTheRestWrittenAsTheyAre() throws IOException {
        for (String field : new String[] {"保和镇", "", "沱江", "a,b", "say \"hi\"", "two\r\nlines", "\n", "\"", "村,\"委\""}) {
            assertEquals(CsvReport.quote(field), bytesQuoted(field), field);
        }
        assertEquals("\"say \"\"hi\"\"\"", bytesQuoted("say \"hi\""));
        assertEquals("保和镇", bytesQuoted("保和镇"));
    }

    private static String bytesQuoted(String field) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CsvReport.writeQuoted(ByteString.copyFromUtf8(field), out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
