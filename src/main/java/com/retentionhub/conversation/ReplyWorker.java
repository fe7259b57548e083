package com.retentionhub.conversation;

import com.retentionhub.consent.ConsentLedger;
import com.retentionhub.consent.ConsentStatus;
import com.retentionhub.platform.AfterCommit;
import com.retentionhub.platform.Channel;
import com.retentionhub.platform.GroupCommitter;
import com.retentionhub.platform.HubProperties;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Answers customers' texts, one conversation at a time and in arrival order: a conversation is held
 * from its offer until its pending reply tasks are answered, by one worker at a time, so two quick
 * texts never produce racing replies ({@link ReplyOffers}).
 * Exactly one reply per text (outbox key {@code reply:<MessageSid>}); no reply while the
 * conversation is stopped, paused (a human has it), done or escalated, or to an opted-out phone
 * ({@link ReplyRules}).
 * Tasks are rows written with the text's processing ({@link ReplyTaskStore}), so a crash loses none:
 * the sweep re-offers them.
 *
 * <p>This class holds the threads. A reader thread takes offered conversations in batches and reads
 * their tasks with what the replies depend on in one query, their phones' consent in another and what
 * the prompts read (recent messages, customer records, next appointments) in three more, whatever the
 * batch's size; workers compose the replies ({@link ReplyComposer}: the chat
 * model when {@code OPENAI_API_KEY} is set and its answer validates, otherwise the per-state
 * templates); plain answers (a text, perhaps a state move) from all workers are written together by
 * a group committer, one transaction per batch, as ingest does. Opt-outs, escalations, bookings and
 * skips each take a transaction of their own ({@link ReplyWriter}).
 */
@Component("replyWorker")
public class ReplyWorker {

    private static final Logger LOG = LoggerFactory.getLogger(ReplyWorker.class);

    /** Tasks read per conversation and read: a burst of texts from one phone costs one read, not one each. */
    private static final int TASKS_PER_READ = 16;
    /** Conversations read together: their tasks and what their prompts read come in a few queries, not a few each. */
    private static final int CONVERSATIONS_PER_READ = 64;
    /** How long a task may wait before the sweep offers its conversation again. */
    private static final int SWEEP_AFTER_SECONDS = 30;

    /** A text to answer and its conversation. */
    public record Planned(long conversationId, InboundEvent event) {}

    private final ReplyTaskStore tasks;
    private final ReplyRateLimit rateLimit;
    private final ReplyComposer composer;
    private final ReplyWriter writer;
    private final ReplyMetrics metrics;
    private final ConsentLedger consent;
    private final AiReplies ai;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final boolean llmEnabled;
    private final HubProperties.Conversation settings;
    private final ReplyOffers offers = new ReplyOffers();
    private final ExecutorService pool;
    /** Workers free to take a conversation: the reader reads no further ahead than they can answer, so what it read stays fresh. */
    private final Semaphore idleWorkers;
    /** Conversations whose tasks are to be read, taken in batches by the reader thread. */
    private final BlockingQueue<Long> toRead = new LinkedBlockingQueue<>();
    private final Thread reader;
    /** Plain answers from all workers, written together: one transaction and a few statements per batch, not per answer. */
    private final GroupCommitter<ReplyWriter.Answered, Long> commits;

    ReplyWorker(ReplyTaskStore tasks, ReplyRateLimit rateLimit, ReplyComposer composer, ReplyWriter writer, ReplyMetrics metrics,
            ConsentLedger consent, AiReplies ai, TransactionTemplate tx, Clock clock, HubProperties properties) {
        this.tasks = tasks;
        this.rateLimit = rateLimit;
        this.composer = composer;
        this.writer = writer;
        this.metrics = metrics;
        this.consent = consent;
        this.ai = ai;
        this.tx = tx;
        this.clock = clock;
        this.llmEnabled = properties.llm().enabled();
        this.settings = properties.conversation();
        this.commits = new GroupCommitter<>("reply-commit", 1, 256, Math.max(256, settings.replyConcurrency()),
                batch -> tx.execute(s -> writer.writeTogether(batch)));
        this.pool = Executors.newFixedThreadPool(settings.replyConcurrency(), r -> {
            Thread t = new Thread(r, "reply-worker");
            t.setDaemon(true);
            return t;
        });
        this.idleWorkers = new Semaphore(settings.replyConcurrency());
        this.reader = new Thread(this::readLoop, "reply-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Called inside the processing transaction: a reply task for each text that deserves an answer,
     * unless the bot is off or the phone is past its hourly limit (the text stays stored,
     * unanswered). The conversations are offered to the workers once the transaction commits.
     */
    public void plan(List<Planned> texts) {
        if (!settings.botEnabled() || texts.isEmpty()) {
            return;
        }
        Set<Long> pastLimit = rateLimit.pastLimit(texts.stream().map(Planned::event).toList());
        List<Planned> answering = new ArrayList<>();
        Set<Long> conversations = new LinkedHashSet<>();
        for (Planned p : texts) {
            if (pastLimit.contains(p.event().id())) {
                metrics.rateLimited();
            } else {
                answering.add(p);
                conversations.add(p.conversationId());
            }
        }
        tasks.addPending(answering, clock.instant());
        AfterCommit.run(() -> conversations.forEach(this::offer));
    }

    /** Queues the conversation for a read of its tasks, unless it is already queued or being answered. */
    public void offer(long conversationId) {
        if (offers.offer(conversationId) == ReplyOffers.Offered.QUEUED) {
            toRead.add(conversationId);
        }
    }

    /** Re-offers conversations whose tasks have waited too long (after a crash or a full pool). */
    public void sweep() {
        tasks.waitingSince(clock.instant().minusSeconds(SWEEP_AFTER_SECONDS)).forEach(this::offer);
    }

    /**
     * Takes queued conversations in batches, as many as there are idle workers, and reads their
     * pending tasks with what each first reply depends on; then hands each conversation to a worker.
     */
    private void readLoop() {
        List<Long> batch = new ArrayList<>();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                idleWorkers.acquire();
                batch.add(toRead.take());
            } catch (InterruptedException e) {
                return;
            }
            // Only this thread takes permits, so the ones it sees stay available.
            toRead.drainTo(batch, Math.min(CONVERSATIONS_PER_READ - 1, idleWorkers.availablePermits()));
            idleWorkers.acquireUninterruptibly(batch.size() - 1);
            try {
                read(batch);
            } catch (RuntimeException e) {
                // Only a pool shutting down gets here; the reader itself must outlive any one batch.
                LOG.warn("handing out {} conversations failed: {}", batch.size(), e.toString());
            }
            batch.clear();
        }
    }

    private void read(List<Long> conversationIds) {
        List<ReplyOffers.Read> reads = conversationIds.stream().map(offers::read).toList();
        Map<Long, List<ReplyTaskStore.Pending>> pending;
        Map<String, ConsentStatus> consentOfFirst;
        Map<Long, AiReplies.ReadAhead> readAhead;
        try {
            pending = tasks.pending(conversationIds, TASKS_PER_READ);
            consentOfFirst = consent.current(pending.values().stream().map(p -> p.get(0).task().phone()).toList(), Channel.SMS.code());
            readAhead = llmEnabled
                    ? ai.readAhead(pending.entrySet().stream()
                            .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get(0).task().phone())))
                    : Map.of();
        } catch (RuntimeException e) {
            conversationIds.forEach(offers::giveUp);
            idleWorkers.release(conversationIds.size());
            LOG.warn("reading the reply tasks of {} conversations failed; the sweep will retry: {}", conversationIds.size(), e.toString());
            return;
        }
        for (ReplyOffers.Read read : reads) {
            List<ReplyTaskStore.Pending> found = pending.getOrDefault(read.conversationId(), List.of());
            if (found.isEmpty()) {
                idleWorkers.release();
                settle(read, false);
            } else {
                pool.execute(
                        () -> drain(read, found, consentOfFirst, readAhead.getOrDefault(read.conversationId(), AiReplies.ReadAhead.NONE)));
            }
        }
    }

    /**
     * Answers a conversation's tasks, as read, in arrival order; then lets the conversation go or
     * queues it for another read.
     */
    private void drain(ReplyOffers.Read read, List<ReplyTaskStore.Pending> found, Map<String, ConsentStatus> consentOfFirst,
            AiReplies.ReadAhead readAhead) {
        try {
            for (int i = 0; i < found.size(); i++) {
                ReplyTaskStore.ReplyTask task = found.get(i).task();
                // The read brought what the first task's reply depends on; a later one's may have been changed by the answers before it.
                if (i == 0) {
                    answer(task, found.get(i).context(), () -> consentOfFirst.get(task.phone()) == ConsentStatus.OPTED_OUT, readAhead);
                } else {
                    answer(task, tasks.context(task.id()),
                            () -> consent.current(task.phone(), Channel.SMS.code()) == ConsentStatus.OPTED_OUT, null);
                }
            }
            settle(read, found.size() == TASKS_PER_READ);
        } catch (RuntimeException e) {
            offers.giveUp(read.conversationId());
            LOG.warn("replying in conversation {} failed; the sweep will retry: {}", read.conversationId(), e.toString());
        } finally {
            idleWorkers.release();
        }
    }

    private void settle(ReplyOffers.Read read, boolean full) {
        if (offers.settle(read, full) != ReplyOffers.Settled.LET_GO) {
            toRead.add(read.conversationId());
        }
    }

    /** {@code readAhead}: what the prompt needs if already read, or null to read it when asking. */
    private void answer(ReplyTaskStore.ReplyTask task, ReplyTaskStore.Context context, BooleanSupplier optedOut,
            AiReplies.ReadAhead readAhead) {
        String skip = ReplyRules.skipBeforeAsking(context.standing(), clock.instant(), optedOut);
        // The model is asked outside any transaction: it may take seconds, and no lock may wait for it.
        Reply reply = skip == null ? composer.compose(task, context, readAhead) : null;
        // The outbox wakes dispatch itself once the answer is committed.
        if (reply != null && reply.plain()) {
            commits.submit(new ReplyWriter.Answered(task, reply)).join();
        } else {
            tx.execute(s -> writer.writeAlone(task, skip, reply));
        }
        metrics.answered(reply);
    }

    @PreDestroy
    void stop() {
        reader.interrupt();
        pool.shutdown();
        commits.close();
    }
}
