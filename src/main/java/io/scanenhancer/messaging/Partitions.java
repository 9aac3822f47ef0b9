package io.scanenhancer.messaging;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

import java.util.List;

/** What the record loop does to its assigned partitions between studies. */
final class Partitions {
    private Partitions() {
    }

    /**
     * Seeks every partition in {@code records} back to its first record, except {@code keep}'s, which is taken, and
     * pauses the assignment: one study at a time; what was fetched meanwhile is fetched again later.
     */
    static void rewindAndPause(Consumer<String, byte[]> c, ConsumerRecords<String, byte[]> records,
                               ConsumerRecord<String, byte[]> keep) {
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> rs = records.records(tp);
            if (keep != null && tp.equals(new TopicPartition(keep.topic(), keep.partition()))) {
                if (rs.size() > 1) {
                    c.seek(tp, rs.get(1).offset());
                }
            } else {
                c.seek(tp, rs.get(0).offset());
            }
        }
        if (keep != null || !records.isEmpty()) {
            c.pause(c.assignment());
        }
    }

    /** Records behind the end of the assigned partitions, as of the latest poll. */
    static long lag(Consumer<String, byte[]> c) {
        long lag = 0;
        for (TopicPartition tp : c.assignment()) {
            lag += c.currentLag(tp).orElse(0);
        }
        return lag;
    }
}
