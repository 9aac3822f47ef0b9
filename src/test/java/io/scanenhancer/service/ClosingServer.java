package io.scanenhancer.service;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A PACS that is "down" in the most common way: it accepts a connection and drops it at once. Counts connections
 * into a file, so a test in another class loader can read how often the service tried.
 */
final class ClosingServer implements AutoCloseable {
    private final ServerSocket socket;
    private final Path counter;
    private int connections;

    ClosingServer(Path counter) throws IOException {
        this.counter = counter;
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Files.writeString(counter, "0");
        Thread t = new Thread(this::acceptLoop, "closing-server");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                connections++;
                Files.writeString(counter, Integer.toString(connections));
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
