package io.scanenhancer.api;

import io.scanenhancer.service.EnhancerService;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Puts REST requests on the same requests topic the Kafka producers use, so that there is one processing path. */
@ApplicationScoped
public class RequestPublisher {
    @Inject
    EnhancerService service;

    private KafkaProducer<String, byte[]> producer;

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            // the same broker and TLS / SASL settings as the service's consumer: a secured broker refuses anything else
            producer = new KafkaProducer<>(service.kafkaClients().requestProducer());
        }
        return producer;
    }

    /** Key = Study Instance UID, as for every other producer of the topic (one study's requests stay in order). */
    void publish(String studyInstanceUid, byte[] value) throws PublishFailedException {
        try {
            producer().send(new ProducerRecord<>(service.settings().topics().requests(), studyInstanceUid, value)).get(15, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new PublishFailedException(e.getCause());
        } catch (TimeoutException | RuntimeException e) {
            throw new PublishFailedException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishFailedException(e);
        }
    }

    static final class PublishFailedException extends Exception {
        PublishFailedException(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close();
        }
    }
}
