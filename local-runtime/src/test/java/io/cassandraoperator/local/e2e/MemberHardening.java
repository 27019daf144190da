package io.cassandraoperator.local.e2e;

import io.cassandraoperator.api.Contract;
import io.fabric8.kubernetes.api.model.Pod;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** What the kubelet enforces of the member pod's security context, seen from the machine's processes. */
final class MemberHardening {
    private MemberHardening() {
    }

    /**
     * The member pod's hardening as the kubelet enforces it: the agent and its Cassandra child run as the image's
     * non-root user 999 (from /proc and ps), and inside the member's own mount namespace, as that user, a write outside
     * its volumes fails on the read-only root while one into its data volume works.
     */
    static void assertRunHardened(List<Pod> pods) throws Exception {
        for (Pod pod : pods) {
            String member = pod.getMetadata().getName();
            long pid = Long.parseLong(pod.getStatus().getContainerStatuses().get(0).getContainerID()
                    .substring("local://".length()));
            ProcessHandle agent = ProcessHandle.of(pid).orElseThrow();
            List<ProcessHandle> tree = Stream.concat(Stream.of(agent), agent.descendants()).toList();
            assertThat(tree).as(member + ": the agent and its Cassandra").hasSizeGreaterThanOrEqualTo(2);
            for (ProcessHandle process : tree) {
                assertThat(Files.readString(Path.of("/proc", Long.toString(process.pid()), "status")))
                        .as(member + " pid " + process.pid())
                        .containsPattern("(?m)^Uid:\\s+999\\s+999\\s+999\\s+999$")
                        .containsPattern("(?m)^Gid:\\s+999\\s+999\\s+999\\s+999$");
            }
            String pids = tree.stream().map(p -> Long.toString(p.pid())).collect(Collectors.joining(","));
            assertThat(run("ps", "-o", "uid=,pid=", "-p", pids).lines().map(String::trim))
                    .as(member + ": ps").hasSize(tree.size()).allSatisfy(line -> assertThat(line).startsWith("999 "));
            String dataDir = Stream.of(Files.readString(Path.of("/proc", Long.toString(pid), "environ")).split("\0"))
                    .filter(env -> env.startsWith(Contract.Env.DATA_DIR + "=")).findFirst().orElseThrow()
                    .substring(Contract.Env.DATA_DIR.length() + 1);
            String outside = "/var/tmp/" + member + "-" + UUID.randomUUID();
            assertThat(asMember(pid, "touch " + outside)).as(member + " writing outside its volumes")
                    .contains("Read-only file system", "exit=1");
            assertThat(Path.of(outside)).doesNotExist();
            assertThat(asMember(pid, "touch " + dataDir + "/.write-check && rm " + dataDir + "/.write-check"))
                    .as(member + " writing into its data volume").isEqualTo("exit=0\n");
        }
    }

    /** A shell command in the member's mount namespace as its user (nsenter, util-linux), with its exit code. */
    private static String asMember(long pid, String command) throws IOException, InterruptedException {
        return run("nsenter", "--target", Long.toString(pid), "--mount", "--setuid", "999", "--setgid", "999", "--",
                "sh", "-c", command + " 2>&1; echo exit=$?");
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return output;
    }
}
