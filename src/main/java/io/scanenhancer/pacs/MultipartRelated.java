package io.scanenhancer.pacs;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Just enough of RFC 2387 multipart/related for WADO-RS responses and STOW-RS requests (bodies are binary). */
final class MultipartRelated {
    private static final byte[] CRLF = {'\r', '\n'};

    private MultipartRelated() {
    }

    static String newBoundary() {
        return "scanenhancer-" + UUID.randomUUID();
    }

    /** The boundary parameter of a Content-Type header, unquoted. */
    static String boundaryOf(String contentType) {
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
