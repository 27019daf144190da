package io.cassandraoperator.local.kubelet;

import io.cassandraoperator.local.apiserver.LocalApiServer;
import io.cassandraoperator.local.network.LoopbackAddressPool;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodFluent;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The kubelet enforces the pod security context (runAsUser/runAsGroup/fsGroup by setpriv, readOnlyRootFilesystem in a
 * private mount namespace, runAsNonRoot refused), also for what {@code kubectl exec} runs beside a container, with a
 * tiny Java test image. Switching users needs root: this machine
 * and CI run as root; elsewhere the tests that switch users are not run (the kubelet then logs that it cannot).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class KubeletSecurityContextTest {
    private static final String IMAGE = "test/secure:1";
    private static final String NS = "default";
    /** No account of this machine has it: ps shows the number, as for a container user unknown to the host. */
    private static final long USER = 4321;
    private static final long GROUP = 3000;
    private static final long FS_GROUP = 2000;
    /** World-writable on every Linux and on the root file system: only a read-only root stops a non-root writer. */
    private static final Path VAR_TMP = Path.of("/var/tmp");

    @TempDir
    Path state;

    private final String marker = "podsec-" + UUID.randomUUID();
    private LocalApiServer api;
    private KubernetesClient client;
    private Kubelet kubelet;

    @BeforeEach
    void startKubelet() throws IOException {
        api = LocalApiServer.start(state.resolve("api-state"), 0, LoopbackAddressPool.serviceAddresses());
        client = api.newClient();
        Path classes = closedImage();
        ImageCatalog images = new ImageCatalog().register(IMAGE, new LocalImage(
                List.of(ImageCatalog.javaBinary(), "-Xmx32m", "-cp", classes.toString(),
                        TestContainerMain.class.getName()),
                // The image's env is not rewritten to volume directories: the container writes this very path.
                Map.of("WRITE_IMAGE_TMP", "/tmp/" + marker), null, null, classes));
        kubelet = new Kubelet(client, images, LoopbackAddressPool.podAddresses(),
                KubeletSettings.defaults(state).withBackOff(Duration.ofMillis(200), Duration.ofSeconds(1))).start();
        api.setPodExecSource(kubelet);
    }

    @AfterEach
    void stopKubelet() throws IOException {
        kubelet.close();
        client.close();
        api.close();
        Files.deleteIfExists(VAR_TMP.resolve(marker));
        Files.deleteIfExists(Path.of("/tmp", marker));
    }

    @Test
    void readOnlyRootLetsTheContainerWriteOnlyItsVolumesAndItRunsAsItsUser() throws IOException {
        assumeSwitchingUsers();
        secret();
        create(pod("web-0", true, FS_GROUP));

        await().untilAsserted(() -> assertThat(log("web-0")).contains("STARTED"));
        assertThat(log("web-0"))
                .contains("WRITE WRITE_VOLUME ok", "WRITE WRITE_IMAGE_TMP ok")
                .containsPattern("WRITE WRITE_OUTSIDE failed FileSystemException .*Read-only file system")
                .containsPattern("WRITE WRITE_SECRET failed FileSystemException .*Read-only file system")
                .contains("READ READ_SECRET s3cr3t");
        Path pod = state.resolve("pods/default/web-0");
        assertThat(pod.resolve("volumes/data/inside")).hasContent("written by the container");
        assertThat(pod.resolve("volumes/tmp").resolve(marker)).as("/tmp is the pod's tmp volume").exists();
        assertThat(Path.of("/tmp", marker)).as("not this machine's /tmp").doesNotExist();
        assertThat(VAR_TMP.resolve(marker)).doesNotExist();
        assertThat(owner(pod.resolve("volumes/data/inside"))).isEqualTo(USER);
        assertThat(Files.readString(Path.of("/proc", Long.toString(pid("web-0")), "cmdline")))
                .as("run from the image's world-readable copy").contains(state.resolve("images").toString())
                .doesNotContain(state.resolve("closed").toString());

        long pid = pid("web-0");
        String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
        assertThat(status).containsPattern("(?m)^Uid:\\s+4321\\s+4321\\s+4321\\s+4321$")
                .containsPattern("(?m)^Gid:\\s+3000\\s+3000\\s+3000\\s+3000$")
                .containsPattern("(?m)^Groups:\\s+2000\\s*$")
                .containsPattern("(?m)^NoNewPrivs:\\s+1$");
        assertThat(run("ps", "-o", "user=,pid=", "-p", Long.toString(pid)).trim()).matches("4321\\s+" + pid);

        client.pods().inNamespace(NS).withName("web-0").withGracePeriod(5).delete();
        await().untilAsserted(() -> assertThat(client.pods().inNamespace(NS).withName("web-0").get()).isNull());
        assertThat(log("web-0")).as("SIGTERM reached the container's own process").contains("TERM received");
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    }

    @Test
    void kubectlExecRunsBesideTheContainerAsItsUserWithItsEnvironmentAndItsPrivateTmp() throws Exception {
        assumeSwitchingUsers();
        secret();
        create(pod("web-0", true, FS_GROUP));
        await().untilAsserted(() -> assertThat(log("web-0")).contains("STARTED"));

        Kubectl exec = kubectl("", "exec", "web-0", "--", "sh", "-c",
                "id -u; id -G; printenv WRITE_IMAGE_TMP; cat /tmp/" + marker + "; echo; touch /var/tmp/x || echo refused");

        assertThat(exec.exitCode()).as(exec.stderr()).isZero();
        assertThat(exec.stdout().lines().toList()).containsExactly("4321", "3000 2000", "/tmp/" + marker,
                "written by the container", "refused");
        assertThat(exec.stderr()).contains("Read-only file system");
        assertThat(Path.of("/tmp", marker)).as("what it read is the pod's /tmp, not this machine's").doesNotExist();
    }

    @Test
    void kubectlExecStreamsStdinAndStderrAndEndsWithTheCommandsExitCode() throws Exception {
        create(testPod("plain", spec -> { }));
        await().untilAsserted(() -> assertThat(log("plain")).contains("STARTED"));

        Kubectl piped = kubectl("hello from stdin\n", "exec", "-i", "plain", "--", "sh", "-c",
                "cat; echo to-stderr >&2; exit 3");
        assertThat(piped.exitCode()).isEqualTo(3);
        assertThat(piped.stdout()).isEqualTo("hello from stdin\n");
        assertThat(piped.stderr()).contains("to-stderr").contains("command terminated with exit code 3");

        Kubectl missing = kubectl("", "exec", "plain", "--", "no-such-program");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.stderr()).contains("exec: \"no-such-program\": executable file not found in $PATH");

        Kubectl noPod = kubectl("", "exec", "nope", "--", "true");
        assertThat(noPod.exitCode()).isNotZero();
        assertThat(noPod.stderr()).contains("pods \"nope\" not found");
    }

    @Test
    void fsGroupMakesATightSecretReadableAndWithoutItTheUserCannotReadIt() throws IOException {
        assumeSwitchingUsers();
        secret();
        create(pod("with-fs-group", false, FS_GROUP));
        create(pod("without-fs-group", false, null));

        await().untilAsserted(() -> assertThat(log("with-fs-group")).contains("STARTED"));
        await().untilAsserted(() -> assertThat(log("without-fs-group")).contains("STARTED"));
        assertThat(log("with-fs-group")).contains("READ READ_SECRET s3cr3t");
        assertThat(log("without-fs-group")).contains("READ READ_SECRET failed AccessDeniedException");
        Path granted = state.resolve("pods/default/with-fs-group/volumes/token/token");
        assertThat(mode(granted)).as("defaultMode 0400, readable by the group").isEqualTo(0440);
        assertThat(group(granted)).isEqualTo(FS_GROUP);
        Path tight = state.resolve("pods/default/without-fs-group/volumes/token/token");
        assertThat(mode(tight)).isEqualTo(0400);
        assertThat(group(tight)).isZero();
        Path data = state.resolve("pods/default/with-fs-group/volumes/data");
        assertThat(group(data)).isEqualTo(FS_GROUP);
        assertThat(mode(data) & 02070).as("setgid, group rwx").isEqualTo(02070);
        // Without a read-only root the same write outside the volumes works: the refusal above is the read-only root.
        assertThat(log("with-fs-group")).contains("WRITE WRITE_OUTSIDE ok");
    }

    @Test
    void runAsNonRootIsRefusedForRootWithTheKubeletsMessage() {
        create(testPod("as-root", spec -> spec.withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(0L)
                .endSecurityContext()));
        create(testPod("image-root", spec -> spec.withNewSecurityContext().withRunAsNonRoot(true).endSecurityContext()));
        create(testPod("container-over-pod", spec -> spec.withNewSecurityContext().withRunAsNonRoot(true)
                .withRunAsUser(USER).endSecurityContext().editFirstContainer().withNewSecurityContext()
                .withRunAsUser(0L).endSecurityContext().endContainer()));

        await().untilAsserted(() -> {
            assertThat(waiting("as-root")).containsExactly("CreateContainerConfigError",
                    "container's runAsUser breaks non-root policy (pod: \"as-root_default(" + uid("as-root")
                            + ")\", container: test)");
            assertThat(waiting("image-root")).containsExactly("CreateContainerConfigError",
                    "container has runAsNonRoot and image will run as root (pod: \"image-root_default("
                            + uid("image-root") + ")\", container: test)");
            assertThat(waiting("container-over-pod")).first().isEqualTo("CreateContainerConfigError");
        });
        assertThat(kubelet.logs().file(NS, "as-root", "test")).as("never started").isEmpty();
        assertThat(kubelet.logs().file(NS, "image-root", "test")).isEmpty();
    }

    /**
     * The test image's classes under a directory only root may enter (as a clone under /root): the kubelet must run it
     * from its world-readable copy, bound into the pod's /tmp since the state directory lies under /tmp.
     */
    private Path closedImage() throws IOException {
        Path closed = Files.createDirectories(state.resolve("closed"));
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
        Path image = Files.createDirectories(closed.resolve("image"));
        Path compiled = Path.of("target/test-classes").toAbsolutePath();
        String main = TestContainerMain.class.getName().replace('.', '/');
        Path packageDirectory = compiled.resolve(main).getParent();
        try (Stream<Path> classes = Files.list(packageDirectory)) {
            for (Path file : classes.filter(f -> f.getFileName().toString().startsWith("TestContainerMain")).toList()) {
                Path target = image.resolve(compiled.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target);
            }
        }
        return image;
    }

    private void assumeSwitchingUsers() {
        assumeThat(ContainerIsolation.detect(state).notEnforced()).as("the kubelet can switch users (runs as root)")
                .isNull();
    }

    /**
     * A pod running as {@link #USER}/{@link #GROUP}, with a data emptyDir, a tmp emptyDir at /tmp and the token Secret;
     * its env asks the test image to write into its volume, outside it, into the Secret, and to read the Secret.
     */
    private Pod pod(String name, boolean readOnlyRoot, Long fsGroup) {
        return testPod(name, spec -> spec
                .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(USER).withRunAsGroup(GROUP)
                .withFsGroup(fsGroup).endSecurityContext()
                .editFirstContainer()
                .withNewSecurityContext().withReadOnlyRootFilesystem(readOnlyRoot).withAllowPrivilegeEscalation(false)
                .endSecurityContext()
                .addNewEnv().withName("WRITE_VOLUME").withValue("/var/lib/data/inside").endEnv()
                .addNewEnv().withName("WRITE_OUTSIDE").withValue(VAR_TMP.resolve(marker).toString()).endEnv()
                .addNewEnv().withName("WRITE_SECRET").withValue("/etc/token/planted").endEnv()
                .addNewEnv().withName("READ_SECRET").withValue("/etc/token/token").endEnv()
                .addNewVolumeMount().withName("data").withMountPath("/var/lib/data").endVolumeMount()
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                .addNewVolumeMount().withName("token").withMountPath("/etc/token").endVolumeMount()
                .endContainer()
                .addNewVolume().withName("data").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewVolume().withName("token").withNewSecret().withSecretName("token").withDefaultMode(0400)
                .endSecret().endVolume());
    }

    private void secret() {
        client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("token").endMetadata()
                .withData(Map.of("token", "czNjcjN0")).build()).create();
    }

    private void create(Pod pod) {
        client.pods().inNamespace(NS).resource(pod).create();
    }

    private static Pod testPod(String name, Consumer<PodFluent<?>.SpecNested<?>> spec) {
        var builder = new PodBuilder().withNewMetadata().withName(name).withNamespace(NS)
                .endMetadata().withNewSpec().withNodeName("node-1").withTerminationGracePeriodSeconds(5L)
                .addNewContainer().withName("test").withImage(IMAGE).endContainer();
        spec.accept(builder);
        return builder.endSpec().build();
    }

    private List<String> waiting(String pod) {
        Pod current = client.pods().inNamespace(NS).withName(pod).get();
        assertThat(current.getStatus()).isNotNull();
        assertThat(current.getStatus().getContainerStatuses()).as("reported by the kubelet yet").hasSize(1);
        ContainerStatus status = current.getStatus().getContainerStatuses().get(0);
        assertThat(status.getState().getWaiting()).isNotNull();
        return List.of(status.getState().getWaiting().getReason(), status.getState().getWaiting().getMessage());
    }

    private String uid(String pod) {
        return client.pods().inNamespace(NS).withName(pod).get().getMetadata().getUid();
    }

    private long pid(String pod) {
        String id = client.pods().inNamespace(NS).withName(pod).get().getStatus().getContainerStatuses().get(0)
                .getContainerID();
        return Long.parseLong(id.substring("local://".length()));
    }

    private String log(String pod) {
        Optional<Path> file = kubelet.logs().file(NS, pod, "test");
        try {
            return file.isEmpty() ? "" : Files.readString(file.get());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long owner(Path path) throws IOException {
        return ((Number) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
    }

    private static long group(Path path) throws IOException {
        return ((Number) Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS)).longValue();
    }

    private static int mode(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    private record Kubectl(int exitCode, String stdout, String stderr) {
    }

    /** A real kubectl against this API server, its stdin given, stopped by its PID if it has not ended in a minute. */
    private Kubectl kubectl(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("kubectl", "--kubeconfig", api.kubeconfig().toString()));
        command.addAll(List.of(args));
        Path out = state.resolve("kubectl.out");
        Path err = state.resolve("kubectl.err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try (var in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("kubectl " + String.join(" ", args) + " did not end in 60 s: "
                    + Files.readString(err));
        }
        return new Kubectl(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static String run(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
