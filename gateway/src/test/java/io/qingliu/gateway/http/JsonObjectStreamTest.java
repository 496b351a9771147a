package io.qingliu.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An NDJSON body cut into its objects however its bytes arrive. */
class JsonObjectStreamTest {

    /** Braces and quotes inside strings, escapes, nesting, multi-byte characters, blank lines. */
    private static final List<String> OBJECTS = List.of(
            "{\"displayName\": \"回澜镇{污水}处理厂\", \"notes\": \"a \\\"quoted\\\" } and \\\\\"}",
            "{\"entries\": [{\"project\": {\"fundingSources\": [{\"source\": \"县级]财政\"}]}}, {}]}",
            "{}",
            "{\"x\": \"\\\\\\\\\", \"y\": [[], [{}]]}");

    private static List<String> split(byte[] body, int... cuts) {
        JsonObjectStream stream = new JsonObjectStream(1 << 20);
        List<String> objects = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            stream.feed(Arrays.copyOfRange(body, from, cut), (text, position) -> {
                objects.add(text);
                positions.add(position);
            });
            from = cut;
        }
        stream.feed(Arrays.copyOfRange(body, from, body.length), (text, position) -> {
            objects.add(text);
            positions.add(position);
        });
        stream.end();
        for (int i = 0; i < positions.size(); i++) {
            assertEquals(i, positions.get(i), "positions count from 0 across the stream");
        }
        assertEquals(objects.size(), stream.objects());
        return objects;
    }

    @Test
    void linesAreObjectsWhereverTheBytesAreCut() {
        byte[] body = ("\n" + String.join("\n", OBJECTS) + "\r\n\n").getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= body.length; cut++) {
            assertEquals(OBJECTS, split(body, cut), "cut at byte " + cut + " (mid-character too)");
        }
        for (int cut = 0; cut + 7 <= body.length; cut += 5) {
            assertEquals(OBJECTS, split(body, cut, cut + 3, cut + 7), "three cuts from byte " + cut);
        }
    }

    @Test
    void objectsNeedNoNewlineBetweenThemAndMaySpanLines() {
        String pretty = "{\n  \"entries\": [\n    {}\n  ]\n}";
        byte[] body = ("{}{\"a\": 1} \t" + pretty).getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of("{}", "{\"a\": 1}", pretty), split(body));
    }

    @Test
    void whatIsNotAnObjectIsNamedByItsPosition() {
        JsonObjectStream stream = new JsonObjectStream(1 << 20);
        List<String> taken = new ArrayList<>();
        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> stream.feed("{}\n{}\n[1]\n".getBytes(StandardCharsets.UTF_8), (text, position) -> taken.add(text)));
        assertEquals("messages[2]", e.field());
        assertTrue(e.getMessage().contains("'['"), e.getMessage());
        assertEquals(List.of("{}", "{}"), taken, "the objects before it were handed on");

        InvalidParameterException binary = assertThrows(InvalidParameterException.class,
                () -> new JsonObjectStream(100).feed(new byte[] {(byte) 0xef, (byte) 0xbb}, (text, position) -> {
                }));
        assertTrue(binary.getMessage().contains("\\xef"), binary.getMessage());
    }

    @Test
    void aBodyEndingInsideAnObjectIsCutOff() {
        JsonObjectStream stream = new JsonObjectStream(1 << 20);
        stream.feed("{}\n{\"a\": \"}".getBytes(StandardCharsets.UTF_8), (text, position) -> {
        });
        InvalidParameterException e = assertThrows(InvalidParameterException.class, stream::end);
        assertEquals("messages[1]", e.field());
        assertTrue(e.getMessage().contains("cut off"), e.getMessage());
    }

    @Test
    void anObjectOverTheLimitIsRefusedAndOneAtItIsTaken() {
        String atLimit = "{\"a\": \"" + "x".repeat(4096 - 9) + "\"}";
        assertEquals(4096, atLimit.length());
        List<String> taken = new ArrayList<>();
        JsonObjectStream stream = new JsonObjectStream(4096);
        stream.feed((atLimit + "\n").getBytes(StandardCharsets.UTF_8), (text, position) -> taken.add(text));
        assertEquals(List.of(atLimit), taken);

        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> stream.feed(("{\"a\": \"" + "x".repeat(5000) + "\"}").getBytes(StandardCharsets.UTF_8),
                        (text, position) -> taken.add(text)));
        assertEquals("messages[1]", e.field());
        assertTrue(e.getMessage().contains("4096"), e.getMessage());
    }
}
