package io.scanenhancer.receiver;

import com.pixelmed.dicom.StoredFilePathStrategy;
import com.pixelmed.network.ApplicationEntityMap;
import com.pixelmed.network.AssociationFactory;
import com.pixelmed.network.ReceivedObjectHandler;
import com.pixelmed.network.StorageSOPClassSCP;
import com.pixelmed.network.UnencapsulatedExplicitStorePresentationContextSelectionPolicy;
import io.scanenhancer.audit.AuditParticipant;
import io.scanenhancer.audit.AuditTrail;
import io.scanenhancer.spool.PatientDataSpool;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The receiver's C-STORE SCP (and C-ECHO). PixelMed's {@code StorageSOPClassSCP} runs each association, as for the C-MOVE
 * listener of {@code pacs.DimsePacs}; the accept loop is ours rather than PixelMed's dispatcher because the dispatcher
 * listens on every interface and cannot refuse a calling AE title. Each object lands in this process's spool folder,
 * is taken in ({@link InstanceIntake}) and deleted before the C-STORE response goes out.
 */
final class StorageScp implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StorageScp.class);

    private final String aeTitle;
    private final Map<String, String> callingAeToPacs;
    private final InstanceIntake intake;
    private final ServerSocket server;
    private final Path folder;
    private final ExecutorService associations;
    private final Thread acceptor;
    private final AtomicInteger received = new AtomicInteger();

    private final AuditTrail audit;

    /** Associations served at once; more wait for a free thread. */
    static final int MAX_CONCURRENT_ASSOCIATIONS = 16;

    /**
     * The configured calling AE titles, matched ignoring case: a title set through an environment variable
     * ({@code ENHANCER_RECEIVER_CALLING_AE_ORTHANC}) reaches the configuration in lower case, and two senders whose
     * titles differ only in case would be a configuration no PACS administrator means.
     */
    static Map<String, String> acceptedCallers(Map<String, String> configured) {
        java.util.TreeMap<String, String> m = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        configured.forEach((ae, pacs) -> {
            if (m.put(ae.trim(), pacs) != null) {
                throw new IllegalArgumentException("calling AE titles " + ae + " and another differ only in case");
            }
        });
        return java.util.Collections.unmodifiableMap(m);
    }

    StorageScp(String bindHost, int port, String aeTitle, Map<String, String> callingAeToPacs, InstanceIntake intake,
               AuditTrail audit) throws IOException {
        this.audit = audit;
        this.aeTitle = aeTitle;
        this.callingAeToPacs = acceptedCallers(callingAeToPacs);
        this.intake = intake;
        this.server = new ServerSocket(port, 50, InetAddress.getByName(bindHost));
        this.folder = PatientDataSpool.newFolder("receiver");
        AtomicInteger n = new AtomicInteger();
        // bounded: a flood of associations queues here instead of growing one thread each
        this.associations = Executors.newFixedThreadPool(MAX_CONCURRENT_ASSOCIATIONS, r -> {
            Thread t = new Thread(r, "receiver-association-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(this::acceptLoop, "receiver-scp-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.infof("receiver: Storage SCP %s listening on %s:%d, accepting %s", aeTitle, bindHost, server.getLocalPort(),
                this.callingAeToPacs.keySet());
    }

    int port() {
        return server.getLocalPort();
    }

    /** Objects taken in since start. */
    int received() {
        return received.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                associations.execute(() -> serve(socket));
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.warnf("receiver: accept failed: %s", e.getMessage());
                }
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setSoTimeout(60_000); // a peer that stops talking mid-association does not hold a thread for ever
            byte[] header = CallingAeGate.readHeader(socket);
            String callingAe = header == null ? null : CallingAeGate.callingAe(header);
            if (callingAe == null) {
                return;
            }
            String pacs = callingAeToPacs.get(callingAe);
            if (pacs == null) {
                LOG.warnf("receiver: association from unknown calling AE title '%s' (%s) rejected; accepted: %s",
                        callingAe, socket.getInetAddress().getHostAddress(), callingAeToPacs.keySet());
                audit.nodeRefused(AuditParticipant.of(callingAe, socket.getInetAddress().getHostAddress()),
                        "association from an unknown calling AE title to " + aeTitle + " rejected");
                CallingAeGate.reject(socket);
                return;
            }
            // run() returns, without closing the connection, also after a failed object: closed here, so that the
            // sender sees the failure at once instead of waiting for its response timeout
            new StorageSOPClassSCP(CallingAeGate.replaying(socket, header), aeTitle,
                    AssociationFactory.getDefaultMaximumLengthReceived(), AssociationFactory.getDefaultReceiveBufferSize(),
                    AssociationFactory.getDefaultSendBufferSize(), folder.toFile(),
                    StoredFilePathStrategy.BYSOPINSTANCEUIDINSINGLEFOLDER, new Handler(pacs), null, null, null,
                    new ApplicationEntityMap(), new UnencapsulatedExplicitStorePresentationContextSelectionPolicy()).run();
        } catch (Exception e) {
            LOG.warnf("receiver: association ended with an error: %s", e.getMessage());
        }
    }

    /** Called by PixelMed before it sends the C-STORE response; an exception here means no success response. */
    private final class Handler extends ReceivedObjectHandler {
        private final String pacs;

        Handler(String pacs) {
            this.pacs = pacs;
        }

        @Override
        public void sendReceivedObjectIndication(String fileName, String transferSyntax, String callingAe) throws IOException {
            Path file = Path.of(fileName);
            try {
                InstanceIntake.Uids uids = intake.accept(file, pacs);
                received.incrementAndGet();
                LOG.debugf("receiver: instance %s of study %s from %s", uids.sop(), uids.study(), callingAe);
            } catch (InstanceIntake.RefusedInstanceException e) {
                LOG.warnf("receiver: object from %s refused: %s", callingAe, e.getMessage());
                throw new IOException(e.getMessage(), e);
            } finally {
                java.nio.file.Files.deleteIfExists(file);
            }
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        associations.shutdownNow();
        PatientDataSpool.delete(folder);
    }
}
