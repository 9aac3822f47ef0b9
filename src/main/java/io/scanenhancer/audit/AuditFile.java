package io.scanenhancer.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A local append-only file: one RFC 5424 message per line, as a collector would have received it. Opened in append
 * mode, so that a record is never written over; rotation and retention are the host's (logrotate copytruncate).
 */
final class AuditFile implements AuditSink {
    private final Path path;
    private FileChannel channel;

    AuditFile(Path path) {
        this.path = path;
    }

    @Override
    public void send(byte[] message) throws IOException {
        if (channel == null) {
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        }
        ByteBuffer line = ByteBuffer.allocate(message.length + 1).put(message).put((byte) '\n').flip();
        while (line.hasRemaining()) {
            channel.write(line);
        }
        channel.force(false); // an audit record must survive a crash of the process that wrote it
    }

    @Override
    public String describe() {
        return "file " + path;
    }

    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing left to do
            }
        }
    }
}
