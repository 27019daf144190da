package io.cassandraoperator.agent.operations;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cassandraoperator.agent.cassandra.CassandraNode;
import io.cassandraoperator.agent.cassandra.CassandraNode.NodeUnreachableException;
import io.cassandraoperator.agent.cassandra.OperationFailure;
import io.cassandraoperator.api.agent.OperationState;
import io.cassandraoperator.api.agent.RunReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * A node operation the operator runs again and again (cleanup after every scale-out, repair after a replacement),
 * each run named by an id the operator chose and recorded. At most one run at a time; a run whose id finished is
 * never started again, and the last finished run is kept on the data volume, so a restarted agent neither repeats it
 * nor forgets it. A run that failed, or that a restart interrupted, may be started again under its id.
 */
public final class RepeatableOperation {
    private static final Logger LOG = LoggerFactory.getLogger(RepeatableOperation.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The blocking call on Cassandra; it throws with Cassandra's message when Cassandra refuses or fails. */
    @FunctionalInterface
    private interface Task {
        void run() throws Exception;
    }

    /** What a start request did: started a run, found the run with that id, or found another run still running. */
    public enum Outcome { STARTED, EXISTING, BUSY }

    public record StartResult(Outcome outcome, RunReport report) {
    }

    private final String name;
    private final CassandraNode node;
    private final Task task;
    private final Path lastFinishedFile;
    /** The run of this agent's lifetime, if any; otherwise the last finished run read from the volume. */
    private RunReport current;

    private RepeatableOperation(String name, CassandraNode node, Task task, Path lastFinishedFile) {
        this.name = name;
        this.node = node;
        this.task = task;
        this.lastFinishedFile = lastFinishedFile;
        this.current = readLastFinished(lastFinishedFile).orElse(null);
    }

    public static RepeatableOperation cleanup(CassandraNode node, Path dataDir) {
        return new RepeatableOperation("cleanup", node, node::cleanupAllKeyspaces,
                dataDir.resolve("cassandra-operator-cleanup.json"));
    }

    public static RepeatableOperation repair(CassandraNode node, Path dataDir) {
        return new RepeatableOperation("repair", node, node::repairAllKeyspaces,
                dataDir.resolve("cassandra-operator-repair.json"));
    }

    /** The run with this id; without an id, the latest run (NOT_STARTED with no id when there never was one). */
    public synchronized RunReport report(Optional<String> id) {
        if (id.isEmpty()) {
            return current != null ? current : RunReport.notStarted(null);
        }
        return current != null && current.id().equals(id.get()) ? current : RunReport.notStarted(id.get());
    }

    public synchronized StartResult start(String id) throws NodeUnreachableException {
        if (current != null && current.state() == OperationState.RUNNING) {
            if (current.id().equals(id)) {
                return new StartResult(Outcome.EXISTING, current);
            }
            LOG.info("{} {} requested; not starting it while {} runs", name, id, current.id());
            return new StartResult(Outcome.BUSY, current);
        }
        if (current != null && current.state() == OperationState.DONE && current.id().equals(id)) {
            LOG.info("{} {} requested; it finished before, not running it again", name, id);
            return new StartResult(Outcome.EXISTING, current);
        }
        CassandraNode.Load before = node.load();
        current = RunReport.running(id, before.text(), before.bytes());
        Thread thread = new Thread(() -> run(id), name + "-" + id);
        thread.setDaemon(true);
        thread.start();
        LOG.info("Started {} {} (load before: {})", name, id, before.text());
        return new StartResult(Outcome.STARTED, current);
    }

    private void run(String id) {
        OperationState outcome;
        String failure = null;
        try {
            task.run();
            outcome = OperationState.DONE;
        } catch (Exception e) {
            outcome = OperationState.FAILED;
            failure = OperationFailure.message(e);
            LOG.debug("{} {} failure", name, id, e);
        }
        CassandraNode.Load after = null;
        try {
            after = node.load();
        } catch (NodeUnreachableException e) {
            LOG.warn("Load after {} {} unknown: {}", name, id, e.getMessage());
        }
        RunReport finished;
        synchronized (this) {
            finished = current.finished(outcome, failure, after == null ? null : after.text(),
                    after == null ? null : after.bytes());
            current = finished;
            if (outcome == OperationState.DONE) {
                writeLastFinished(finished);
            }
        }
        if (outcome == OperationState.DONE) {
            LOG.info("{} {} finished; load before {}, after {}", name, id, finished.loadBefore(), finished.loadAfter());
        } else {
            LOG.warn("{} {} failed: {}", name, id, failure);
        }
    }

    private void writeLastFinished(RunReport finished) {
        // Written aside and moved: a crash mid-write must not leave a record that forgets the finished id.
        try {
            Path partial = Files.createTempFile(lastFinishedFile.getParent(), lastFinishedFile.getFileName() + ".", ".partial");
            Files.write(partial, JSON.writeValueAsBytes(finished));
            Files.move(partial, lastFinishedFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // Forgetting the run costs one more run of a safe-to-repeat operation after a restart; say so.
            LOG.error("Cannot record the finished {} {} in {}: a restarted agent would run it again", name,
                    finished.id(), lastFinishedFile, e);
        }
    }

    private static Optional<RunReport> readLastFinished(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), RunReport.class));
        } catch (IOException e) {
            LOG.warn("Ignoring the unreadable record {}: {}", file, e.getMessage());
            return Optional.empty();
        }
    }
}
