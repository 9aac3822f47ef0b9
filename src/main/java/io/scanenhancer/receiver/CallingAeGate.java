package io.scanenhancer.receiver;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/**
 * Reads the calling AE title from an association request before PixelMed sees it, because PixelMed's acceptor checks
 * only the called AE title. An unknown caller gets an A-ASSOCIATE-RJ (PS3.8 9.3.4: rejected-permanent, service-user,
 * calling-AE-title-not-recognized); a known one's connection is handed on with the bytes read replayed.
 */
final class CallingAeGate {
    /** PDU type 1, reserved, length (4), protocol version (2), reserved (2), called AE (16), calling AE (16). */
    static final int HEADER = 42;
    private static final byte[] REJECT_CALLING_AE = {0x03, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x01, 0x01, 0x03};

    private CallingAeGate() {
    }

    /** The calling AE title of the association request at the start of {@code header}; null if it is none. */
    static String callingAe(byte[] header) {
        if (header.length < HEADER || header[0] != 0x01) {
            return null;
        }
        return new String(header, 26, 16, StandardCharsets.US_ASCII).trim();
    }

    /** Reads the request's header; null when the peer closed before sending one. */
    static byte[] readHeader(Socket socket) throws IOException {
        byte[] header = socket.getInputStream().readNBytes(HEADER);
        return header.length == HEADER ? header : null;
    }

    static void reject(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(REJECT_CALLING_AE);
        out.flush();
    }

    /** The accepted connection as PixelMed wants it: a Socket, whose stream starts again with the header read. */
    static Socket replaying(Socket socket, byte[] header) throws IOException {
        return new ReplayingSocket(socket, header);
    }

    /** Delegates what PixelMed's Association calls on its socket (checked with javap on the 20220618 jar). */
    private static final class ReplayingSocket extends Socket {
        private final Socket s;
        private final InputStream in;

        ReplayingSocket(Socket s, byte[] header) throws IOException {
            this.s = s;
            this.in = new SequenceInputStream(new ByteArrayInputStream(header), s.getInputStream());
        }

        @Override public InputStream getInputStream() {
            return in;
        }
        @Override public OutputStream getOutputStream() throws IOException {
            return s.getOutputStream();
        }
        @Override public synchronized void close() throws IOException {
            s.close();
        }
        @Override public void shutdownOutput() throws IOException {
            s.shutdownOutput();
        }
        @Override public void shutdownInput() throws IOException {
            s.shutdownInput();
        }
        @Override public boolean isClosed() {
            return s.isClosed();
        }
        @Override public boolean isConnected() {
            return s.isConnected();
        }
        @Override public InetAddress getInetAddress() {
            return s.getInetAddress();
        }
        @Override public InetAddress getLocalAddress() {
            return s.getLocalAddress();
        }
        @Override public int getPort() {
            return s.getPort();
        }
        @Override public int getLocalPort() {
            return s.getLocalPort();
        }
        @Override public SocketAddress getLocalSocketAddress() {
            return s.getLocalSocketAddress();
        }
        @Override public SocketAddress getRemoteSocketAddress() {
            return s.getRemoteSocketAddress();
        }
        @Override public synchronized int getReceiveBufferSize() throws SocketException {
            return s.getReceiveBufferSize();
        }
        @Override public synchronized void setReceiveBufferSize(int size) throws SocketException {
            s.setReceiveBufferSize(size);
        }
        @Override public synchronized int getSendBufferSize() throws SocketException {
            return s.getSendBufferSize();
        }
        @Override public synchronized void setSendBufferSize(int size) throws SocketException {
            s.setSendBufferSize(size);
        }
        @Override public int getSoLinger() throws SocketException {
            return s.getSoLinger();
        }
        @Override public synchronized int getSoTimeout() throws SocketException {
            return s.getSoTimeout();
        }
        @Override public synchronized void setSoTimeout(int timeout) throws SocketException {
            s.setSoTimeout(timeout);
        }
        @Override public boolean getTcpNoDelay() throws SocketException {
            return s.getTcpNoDelay();
        }
        @Override public void setTcpNoDelay(boolean on) throws SocketException {
            s.setTcpNoDelay(on);
        }
        @Override public String toString() {
            return s.toString();
        }
    }
}
