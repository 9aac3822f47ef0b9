package io.scanenhancer.harness.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.scanenhancer.cli.Args;
import io.scanenhancer.harness.LocalOrthanc;
import io.scanenhancer.harness.LocalStack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * {@code ./enhancer stack}: the local broker and Orthanc of the demo, with the sample series loaded, kept running
 * until Ctrl-C; prints the environment that points {@code ./enhancer serve} at them (to try the REST API by hand).
 */
public final class StackCommand {
    private StackCommand() {
    }

    static final Args.Spec OPTIONS = Args.spec("stack", "local Kafka + Orthanc with the sample study, kept running until Ctrl-C")
            .text("samples", "samples/mr-t1-colin27", "folder of DICOM files loaded into Orthanc");

    public static int run(String[] argv) {
        return OPTIONS.run(argv, StackCommand::run);
    }

    private static int run(Args args) throws Exception {
        Path samples = args.path("samples");
        LocalStack stack = LocalStack.start();
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "stop-local-stack"));
        LocalOrthanc orthanc = stack.orthanc();
        List<Path> files;
        try (Stream<Path> s = Files.list(samples)) {
            files = s.filter(p -> p.toString().endsWith(".dcm")).sorted().toList();
        }
        String studyId = null;
        for (Path f : files) {
            studyId = new ObjectMapper().readTree(orthanc.post("/instances", Files.readAllBytes(f)).body())
                    .path("ParentStudy").asText();
        }
        String study = new ObjectMapper().readTree(orthanc.get("/studies/" + studyId).body())
                .path("MainDicomTags").path("StudyInstanceUID").asText();
        System.out.printf("""
                export KAFKA_BOOTSTRAP_SERVERS=%s
                export ORTHANC_DICOMWEB_URL=%s ORTHANC_USER=%s ORTHANC_PASSWORD=%s
                export ORTHANC_HOST=127.0.0.1 ORTHANC_DICOM_PORT=%d ENHANCER_PACS_ORTHANC_DIMSE_CALLING_AE_TITLE=%s
                # sample study (%d instances): %s
                # stop with Ctrl-C
                """, stack.broker().bootstrapServers(), orthanc.dicomWebUrl(), orthanc.user(), orthanc.password(),
                orthanc.dicomPort(), LocalStack.SERVICE_AE, files.size(), study);
        System.out.flush();
        new CountDownLatch(1).await();
        return 0;
    }
}
