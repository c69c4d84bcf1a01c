package io.redotrail.camel;

import io.redotrail.core.CorruptFileException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static io.redotrail.testutil.Waits.await;
import static io.redotrail.testutil.Waits.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadAheadQueueTest {

    /** True once {@code t} waits inside the queue (on its condition), not merely runnable. */
    private static boolean waitingInQueue(Thread t) {
        if (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) return false;
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().equals(ReadAheadQueue.class.getName())) return true;
        }
        return false;
    }

    @Test
    void aPutThatWouldPassTheBoundWaitsUntilTheConsumerTookEnough() throws Exception {
        ReadAheadQueue<String> q = new ReadAheadQueue<>(100);
        assertTrue(q.put("a", 60));
        assertTrue(q.put("b", 40)); // exactly the bound
        List<String> putDone = new CopyOnWriteArrayList<>();
        Thread producer = new Thread(() -> {
            try {
                putDone.add(q.put("c", 30) ? "c" : "closed");
            } catch (InterruptedException e) {
                putDone.add("interrupted");
            }
        });
        producer.start();
        await(() -> waitingInQueue(producer), "the producer waiting for room");
        assertTrue(putDone.isEmpty());
        assertEquals(100, q.queuedBytes());

        assertEquals("a", q.take(0)); // 40 queued: room for 30 more
        join(producer, "the producer's put after room was made");
        assertEquals(List.of("c"), putDone);
        assertEquals(70, q.queuedBytes());
        assertEquals("b", q.take(0));
        assertEquals("c", q.take(0));
        assertNull(q.take(0));
        assertEquals(0, q.queuedBytes());
    }

    @Test
    void anItemLargerThanTheBoundGoesInAloneOnly() throws Exception {
        ReadAheadQueue<String> q = new ReadAheadQueue<>(100);
        assertTrue(q.put("big", 500)); // an empty queue takes it: a batch larger than the bound still moves
        AtomicBoolean second = new AtomicBoolean();
        Thread producer = new Thread(() -> {
            try {
                second.set(q.put("small", 1));
            } catch (InterruptedException ignored) {
                // the test ends it by close()
            }
        });
        producer.start();
        await(() -> waitingInQueue(producer), "the producer waiting behind the large item");
        assertEquals(500, q.queuedBytes());
        assertEquals("big", q.take(0));
        join(producer, "the small put");
        assertTrue(second.get());
    }

    @Test
    void theReadersFailureComesAfterWhatItReadBeforeItAsThrown() throws Exception {
        ReadAheadQueue<String> q = new ReadAheadQueue<>(10);
        q.put("read before", 5);
        CorruptFileException bad = new CorruptFileException(Path.of("redo/1_2.log"), 4242, "bad CRC");
        q.fail(bad); // whatever the bound
        assertThrows(IllegalStateException.class, () -> q.put("after", 1), "nothing may follow a failure");
        assertEquals("read before", q.take(0));
        CorruptFileException thrown = assertThrows(CorruptFileException.class, () -> q.take(0));
        assertSame(bad, thrown);
        assertTrue(thrown.getMessage().contains("redo/1_2.log at byte 4242"), thrown.getMessage());
        // it stays at the head: every later take throws it again, nothing is delivered past it
        assertSame(bad, assertThrows(CorruptFileException.class, () -> q.take(0)));
    }

    @Test
    void aCheckedFailureIsThrownAsItself() throws Exception {
        ReadAheadQueue<String> q = new ReadAheadQueue<>(10);
        java.io.IOException io = new java.io.IOException("disk gone");
        q.fail(io);
        assertSame(io, assertThrows(java.io.IOException.class, () -> q.take(0)));
    }

    @Test
    void closeWakesAWaitingProducerAndAWaitingConsumerAndDropsWhatWasQueued() throws Exception {
        ReadAheadQueue<String> full = new ReadAheadQueue<>(10);
        full.put("x", 10);
        AtomicReference<Object> putResult = new AtomicReference<>();
        Thread producer = new Thread(() -> {
            try {
                putResult.set(full.put("y", 5));
            } catch (InterruptedException e) {
                putResult.set(e);
            }
        });
        producer.start();
        await(() -> waitingInQueue(producer), "the producer waiting for room");
        full.close();
        join(producer, "the producer woken by close");
        assertEquals(Boolean.FALSE, putResult.get());
        assertNull(full.take(0), "what was queued is dropped at close");
        assertEquals(0, full.queuedBytes());
        assertTrue(full.awaitClosed(60_000), "a closed queue does not make the reader wait");

        ReadAheadQueue<String> empty = new ReadAheadQueue<>(10);
        AtomicReference<Object> taken = new AtomicReference<>("not yet");
        Thread consumer = new Thread(() -> {
            try {
                taken.set(empty.take(600_000));
            } catch (Exception e) {
                taken.set(e);
            }
        });
        consumer.start();
        await(() -> waitingInQueue(consumer), "the consumer waiting for an item");
        empty.close();
        join(consumer, "the consumer woken by close");
        assertNull(taken.get());
        assertTrue(empty.isClosed());
    }

    @Test
    void theReadersIdleWaitEndsAtClose() throws Exception {
        ReadAheadQueue<String> q = new ReadAheadQueue<>(10);
        assertFalse(q.awaitClosed(1));
        AtomicBoolean closedSeen = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            try {
                closedSeen.set(q.awaitClosed(600_000));
            } catch (InterruptedException ignored) {
                // not expected: the assertion below fails
            }
        });
        reader.start();
        await(() -> waitingInQueue(reader), "the reader's idle wait");
        q.close();
        join(reader, "the reader woken by close");
        assertTrue(closedSeen.get());
    }

    @Test
    void theBoundMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new ReadAheadQueue<String>(0));
    }
}
