package io.scanenhancer.api;

import io.scanenhancer.config.ServiceConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Puts REST requests on the same requests topic the Kafka producers use, so that there is one processing path. */
@ApplicationScoped
public class RequestPublisher {
    @Inject
    ServiceConfig service;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private KafkaProducer<String, byte[]> producer;

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            Map<String, Object> p = new java.util.HashMap<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
            // the same TLS / SASL settings as the service's consumer: a secured broker refuses anything else
            p.putAll(io.scanenhancer.service.KafkaSecurity.from(org.eclipse.microprofile.config.ConfigProvider.getConfig()));
            producer = new KafkaProducer<>(p);
        }
        return producer;
    }

    /** Key = Study Instance UID, as for every other producer of the topic (one study's requests stay in order). */
    void publish(String studyInstanceUid, byte[] value) throws PublishFailedException {
        try {
            producer().send(new ProducerRecord<>(service.topics().requests(), studyInstanceUid, value)).get(15, TimeUnit.SECONDS);
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
