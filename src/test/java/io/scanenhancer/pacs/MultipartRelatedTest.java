package io.scanenhancer.pacs;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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

    @Test
    void findsQuotedAndUnquotedBoundaries() {
        assertEquals("abc", MultipartRelated.boundaryOf("multipart/related; type=\"application/dicom\"; boundary=\"abc\""));
        assertEquals("x-1", MultipartRelated.boundaryOf("multipart/related;boundary=x-1;type=application/dicom"));
    }
}
