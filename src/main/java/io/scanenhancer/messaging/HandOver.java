package io.scanenhancer.messaging;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A rebalance (another replica joining or leaving) while a study runs: the partition is handed over only after the
 * study is finished and committed, waited for up to the shutdown grace, so the next owner does not do it again. The
 * wait runs inside poll(), on the polling thread, within the group's rebalance timeout (max.poll.interval.ms).
 */
final class HandOver implements ConsumerRebalanceListener {
    private static final Logger LOG = Logger.getLogger(HandOver.class);
    private final StudyRequestConsumer loop;

    HandOver(StudyRequestConsumer loop) {
        this.loop = loop;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            loop.counts.rebalances.incrementAndGet();
        }
        Answer.Pending u = loop.unpublished;
        if (u != null && partitions.contains(u.partition())) {
            loop.retryAt = null;
            loop.publishAnswer(); // one last try while the partition is still ours
            if (loop.unpublished != null) {
                loop.unpublished = null; // its next owner redoes the record
            }
        }
        InFlight f = loop.inFlight;
        if (f == null || !partitions.contains(f.partition())) {
            return;
        }
        Duration half = loop.settings.maxPollInterval().dividedBy(2);
        Duration wait = loop.settings.shutdownGrace().compareTo(half) < 0 ? loop.settings.shutdownGrace() : half;
        try {
            f.done().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            loop.finishInFlight();
            LOG.infof("partition %s handed over after its study finished", f.partition());
        } catch (TimeoutException e) {
            LOG.warnf("partition %s handed over while its study still runs: the next owner will redo it", f.partition());
        } catch (ExecutionException | InterruptedException | CancellationException e) {
            // finishInFlight on the next poll reports it
        }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            LOG.infof("partitions assigned: %s", partitions); // restart-to-work time is read off this line
        }
        if (loop.inFlight != null || loop.retryAt != null || loop.unpublished != null) {
            loop.consumer.pause(partitions); // one study at a time, whatever the group hands us meanwhile
        }
    }
}
