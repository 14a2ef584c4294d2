package io.pocketbus.broker;

import java.util.List;

/**
 * A stream store's state, as reported in {@code StreamInfo.state}.
 *
 * <p>For a fresh stream both sequences are 0; after everything was removed {@code firstSeq} is
 * {@code lastSeq + 1}. Timestamps are nanoseconds since the epoch, 0 when there is no such message.
 *
 * @param deleted the interior sequences between first and last that hold no message; empty in a
 *     {@link StreamStore#fastState() fast state}
 */
public record StoreState(
        long msgs,
        long bytes,
        long firstSeq,
        long firstTimestamp,
        long lastSeq,
        long lastTimestamp,
        long numSubjects,
        long numDeleted,
        List<Long> deleted) {

    public StoreState {
        deleted = List.copyOf(deleted);
    }
}
