package io.pocketbus.broker;

import java.nio.charset.StandardCharsets;

class MemoryStoreTest extends StreamStoreContractTest {

    @Override
    StreamStore create(StoreConfig config, boolean realClock) {
        return realClock ? MemoryStore.open(config) : MemoryStore.open(config, clock::get);
    }

    @Override
    long expectedSize(String subject, byte[] headers, byte[] payload) {
        return subject.getBytes(StandardCharsets.UTF_8).length + headers.length + payload.length + 16;
    }
}
