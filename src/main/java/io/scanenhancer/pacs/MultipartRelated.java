package io.scanenhancer.pacs;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Just enough of RFC 2387 multipart/related for WADO-RS responses and STOW-RS requests (bodies are binary). */
public final class MultipartRelated {
    private static final byte[] CRLF = {'\r', '\n'};

    private MultipartRelated() {
    }

    static String newBoundary() {
        return "scanenhancer-" + UUID.randomUUID();
    }

    /** The boundary parameter of a Content-Type header, unquoted. */
    public static String boundaryOf(String contentType) {
        for (String param : contentType.split(";")) {
            String p = param.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String value = p.substring("boundary=".length()).trim();
                if (value.startsWith("\"") && value.endsWith("\"") && value.length() >= 2) {
                    value = value.substring(1, value.length() - 1);
                }
                return value;
            }
        }
        throw new IllegalArgumentException("no boundary in Content-Type '" + contentType + "'");
    }

    /** The bodies of the parts, headers dropped. */
    static List<byte[]> parse(byte[] body, String boundary) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
        List<byte[]> parts = new ArrayList<>();
        int pos = indexOf(body, delimiter, 0);
        while (pos >= 0) {
            int afterDelimiter = pos + delimiter.length;
            if (afterDelimiter + 1 < body.length && body[afterDelimiter] == '-' && body[afterDelimiter + 1] == '-') {
                break; // closing delimiter
            }
            int headersEnd = indexOf(body, new byte[]{'\r', '\n', '\r', '\n'}, afterDelimiter);
            if (headersEnd < 0) {
                break;
            }
            int contentStart = headersEnd + 4;
            int next = indexOf(body, delimiter, contentStart);
            if (next < 0) {
                break;
            }
            int contentEnd = next;
            if (contentEnd >= 2 && body[contentEnd - 2] == '\r' && body[contentEnd - 1] == '\n') {
                contentEnd -= 2; // the CRLF before a delimiter belongs to the delimiter
            }
            byte[] part = new byte[contentEnd - contentStart];
            System.arraycopy(body, contentStart, part, 0, part.length);
            parts.add(part);
            pos = next;
        }
        return parts;
    }

    /**
     * The bodies of the parts, read from a stream: only the parts are ever held, never the whole response as well (a
     * 300-slice series is 150 MiB, and the byte-array form held about three copies of it while parsing).
     */
    static List<byte[]> parse(InputStream stream, String boundary) throws IOException {
        List<byte[]> parts = new ArrayList<>();
        parse(stream, boundary, (bytes, length) -> parts.add(Arrays.copyOf(bytes, length)));
        return parts;
    }

    /** Receives one part's body; the array is reused after the call returns. */
    public interface PartSink {
        void accept(byte[] bytes, int length) throws IOException;
    }

    /**
     * Hands each part's body to {@code sink} as soon as it is complete: one part is held at a time, whatever the size
     * of the response. A response without a closing delimiter yields the parts complete before the cut, as the
     * byte-array form does.
     *
     * @return whether the closing delimiter came: false for a response cut off on the way
     */
    public static boolean parse(InputStream stream, String boundary, PartSink sink) throws IOException {
        byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        byte last = delimiter[delimiter.length - 1];
        InputStream in = new BufferedInputStream(stream, 1 << 16);
        Buffer buf = new Buffer();
        buf.add('\r'); // as if a line ended before the body, so the first delimiter matches like the others
        buf.add('\n');
        boolean inPart = false;
        int b;
        while ((b = in.read()) >= 0) {
            buf.add(b);
            if (b != (last & 0xFF) || !buf.endsWith(delimiter)) {
                continue;
            }
            if (inPart) {
                sink.accept(buf.bytes, buf.length - delimiter.length);
            }
            int c1 = in.read();
            int c2 = in.read();
            if (c1 == '-' && c2 == '-') {
                return true; // closing delimiter
            }
            if (!skipHeaders(in, c1, c2)) {
                return false;
            }
            inPart = true;
            buf.length = 0;
        }
        return false;
    }

    /** Reads up to and including the blank line that ends a part's headers; false at the end of the stream. */
    private static boolean skipHeaders(InputStream in, int c1, int c2) throws IOException {
        int window = ((c1 & 0xFF) << 8) | (c2 & 0xFF);
        if (c1 < 0 || c2 < 0) {
            return false;
        }
        int b;
        while ((b = in.read()) >= 0) {
            window = (window << 8) | b;
            if (window == 0x0D0A0D0A) {
                return true;
            }
        }
        return false;
    }

    private static final class Buffer {
        byte[] bytes = new byte[1 << 16];
        int length;

        void add(int b) {
            if (length == bytes.length) {
                bytes = Arrays.copyOf(bytes, bytes.length * 2);
            }
            bytes[length++] = (byte) b;
        }

        boolean endsWith(byte[] tail) {
            if (length < tail.length) {
                return false;
            }
            return Arrays.equals(bytes, length - tail.length, length, tail, 0, tail.length);
        }
    }

    static byte[] write(List<byte[]> bodies, String boundary, String partContentType) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] head = ("--" + boundary + "\r\nContent-Type: " + partContentType + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        for (byte[] b : bodies) {
            out.writeBytes(head);
            out.writeBytes(b);
            out.writeBytes(CRLF);
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
