package io.scanenhancer.pacs;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MultipartRelatedTest {
    @Test
    void writtenPartsParseBackByteForByte() {
        byte[] a = {0, 1, 2, '\r', '\n', '-', '-', 3};
        byte[] b = "DICM\r\n\r\nbody".getBytes(StandardCharsets.US_ASCII);
        String boundary = MultipartRelated.newBoundary();
        List<byte[]> parts = MultipartRelated.parse(MultipartRelated.write(List.of(a, b), boundary, "application/dicom"), boundary);
        assertEquals(2, parts.size());
        assertArrayEquals(a, parts.get(0));
        assertArrayEquals(b, parts.get(1));
    }

    /** The streaming parser (WADO-RS) gives the same parts, even with a body that holds a near-delimiter. */
    @Test
    void streamedPartsParseBackByteForByte() throws Exception {
        String boundary = MultipartRelated.newBoundary();
        byte[] a = ("x\r\n--" + boundary.substring(0, 10) + "\r\n--").getBytes(StandardCharsets.US_ASCII);
        byte[] big = new byte[300_000];
        new java.util.Random(1).nextBytes(big);
        byte[] empty = new byte[0];
        byte[] body = MultipartRelated.write(List.of(a, big, empty), boundary, "application/dicom");
        List<byte[]> parts = MultipartRelated.parse(new java.io.ByteArrayInputStream(body), boundary);
        assertEquals(3, parts.size());
        assertArrayEquals(a, parts.get(0));
        assertArrayEquals(big, parts.get(1));
        assertArrayEquals(empty, parts.get(2));
        List<byte[]> same = MultipartRelated.parse(body, boundary);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(same.get(i), parts.get(i));
        }
        // a preamble before the first delimiter is not a part
        byte[] withPreamble = ("preamble\r\n" + new String(body, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(3, MultipartRelated.parse(new java.io.ByteArrayInputStream(withPreamble), boundary).size());
    }

    /** A WADO-RS response cut off mid-part: the complete parts come out, the cut one does not, and the cut is reported. */
    @Test
    void aCutResponseYieldsOnlyItsCompleteParts() throws Exception {
        String boundary = MultipartRelated.newBoundary();
        byte[] a = "first".getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[10_000];
        byte[] body = MultipartRelated.write(List.of(a, b), boundary, "application/dicom");
        byte[] cut = java.util.Arrays.copyOf(body, body.length - 5_000);
        List<Integer> lengths = new java.util.ArrayList<>();
        boolean whole = MultipartRelated.parse(new java.io.ByteArrayInputStream(cut), boundary, (bytes, length) -> lengths.add(length));
        assertEquals(List.of(a.length), lengths);
        assertFalse(whole, "a cut response is reported as such");
        assertTrue(MultipartRelated.parse(new java.io.ByteArrayInputStream(body), boundary, (bytes, length) -> { }));
    }

    @Test
    void findsQuotedAndUnquotedBoundaries() {
        assertEquals("abc", MultipartRelated.boundaryOf("multipart/related; type=\"application/dicom\"; boundary=\"abc\""));
        assertEquals("x-1", MultipartRelated.boundaryOf("multipart/related;boundary=x-1;type=application/dicom"));
    }
}
