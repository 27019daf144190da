package io.cassandraoperator.local.kubelet;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The mount steps and the command the kubelet wraps a container's process in. */
class ContainerIsolationTest {
    private static final List<HostMount> HOST = HostMount.parse(List.of(
            "22 27 0:21 / /proc rw,relatime - proc proc rw",
            "24 27 0:6 / /dev rw,relatime - devtmpfs devtmpfs rw,mode=755",
            "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw",
            "28 27 0:25 / /mnt/with\\040space ro,nosuid,nodev,relatime - tmpfs none ro",
            "31 27 0:28 / /sys rw,nosuid - sysfs sysfs rw"));
    private static final ContainerIsolation.Tools TOOLS = new ContainerIsolation.Tools(
            "/usr/bin/unshare", "/usr/bin/setpriv", "/usr/bin/mount", "/bin/sh", "/usr/bin/nsenter");

    @Test
    void readOnlyRootRemountsEverythingButProcAndDevAndBindsTheVolumesWritable() {
        ContainerIsolation.MountPlan plan = ContainerIsolation.plan(HOST, true,
                List.of(new ContainerIsolation.Bind(Path.of("/state/pv-1"), Path.of("/state/pv-1"), false),
                        new ContainerIsolation.Bind(Path.of("/state/members"), Path.of("/state/members"), true)),
                null, List.of(Path.of("/project/image")));

        assertThat(plan.mountPoints()).isEmpty();
        assertThat(plan.steps()).containsExactly(
                "remount", "/", "remount,bind,ro,relatime",
                "remount", "/mnt/with space", "remount,bind,ro,nosuid,nodev,relatime",
                "remount", "/sys", "remount,bind,ro,nosuid",
                "bind", "/state/pv-1", "/state/pv-1", "remount,bind,rw,relatime",
                "bind", "/state/members", "/state/members", "remount,bind,ro,relatime");
    }

    @Test
    void volumesUnderTmpAreBoundAgainInsideThePodsTmpBeforeItReplacesTmp() {
        Path tmpVolume = Path.of("/tmp/state/pods/ns/m-0/volumes/tmp");
        ContainerIsolation.MountPlan plan = ContainerIsolation.plan(HOST, false,
                List.of(new ContainerIsolation.Bind(Path.of("/tmp/state/nodes/n/pv-1"), Path.of("/tmp/state/nodes/n/pv-1"), false),
                        new ContainerIsolation.Bind(Path.of("/elsewhere/members"), Path.of("/elsewhere/members"), true)),
                tmpVolume, List.of(Path.of("/tmp/state/images/abc")));

        assertThat(plan.mountPoints()).containsExactly(tmpVolume.resolve("state/nodes/n/pv-1"),
                tmpVolume.resolve("state/images/abc"));
        assertThat(plan.steps()).containsExactly(
                "bind", "/tmp/state/nodes/n/pv-1", tmpVolume + "/state/nodes/n/pv-1", "remount,bind,rw,relatime",
                "bind", "/tmp/state/images/abc", tmpVolume + "/state/images/abc", "remount,bind,ro,relatime",
                "bind", tmpVolume.toString(), "/tmp", "remount,bind,rw,relatime",
                "bind", "/elsewhere/members", "/elsewhere/members", "remount,bind,ro,relatime");
    }

    @Test
    void noMountNamespaceWithoutReadOnlyRootOrTmpVolume() {
        assertThat(ContainerIsolation.plan(HOST, false, List.of(new ContainerIsolation.Bind(Path.of("/a"),
                Path.of("/a"), false)), null, List.of()).steps()).isEmpty();
    }

    @Test
    void theCommandExecsThroughUnshareTheMountScriptAndSetprivSoThePidIsTheContainers() {
        ContainerIsolation isolation = ContainerIsolation.enforcedWith(TOOLS);
        ContainerSecurity security = new ContainerSecurity(999, 998, List.of(997L, 996L), true, true, true, true);
        ContainerIsolation.MountPlan plan = new ContainerIsolation.MountPlan(List.of(),
                List.of("remount", "/", "remount,bind,ro"));

        assertThat(isolation.command(List.of("java", "-version"), security, plan)).containsExactly(
                "/usr/bin/unshare", "--mount", "--propagation", "private", "--",
                "/bin/sh", "-c", ContainerIsolation.MOUNT_SCRIPT, "container-mounts", "/usr/bin/mount",
                "remount", "/", "remount,bind,ro", "--",
                "/usr/bin/setpriv", "--reuid=999", "--regid=998", "--groups=997,996", "--no-new-privs", "--",
                "java", "-version");
        assertThat(ContainerIsolation.MOUNT_SCRIPT).contains("exec \"$@\"").doesNotContain("--fork");
    }

    @Test
    void aRootContainerWithoutMountsRunsItsCommandAsItIs() {
        ContainerIsolation isolation = ContainerIsolation.enforcedWith(TOOLS);
        ContainerSecurity root = new ContainerSecurity(0, 0, List.of(), false, false, false, false);

        assertThat(isolation.command(List.of("java"), root, new ContainerIsolation.MountPlan(List.of(), List.of())))
                .containsExactly("java");
        assertThat(isolation.command(List.of("java"),
                new ContainerSecurity(5, 0, List.of(), false, true, false, false),
                new ContainerIsolation.MountPlan(List.of(), List.of())))
                .containsExactly("/usr/bin/setpriv", "--reuid=5", "--regid=0", "--clear-groups", "--", "java");
    }

    @Test
    void anExecEntersTheContainersMountNamespaceWhenItHasOneAndRunsAsItsUser() {
        ContainerIsolation isolation = ContainerIsolation.enforcedWith(TOOLS);
        ContainerSecurity security = new ContainerSecurity(999, 998, List.of(997L), true, true, true, false);

        assertThat(isolation.execCommand(List.of("nodetool", "status"), security, java.util.Optional.of(4242L)))
                .containsExactly("/usr/bin/nsenter", "--target", "4242", "--mount", "--",
                        "/usr/bin/setpriv", "--reuid=999", "--regid=998", "--groups=997", "--",
                        "nodetool", "status");
        assertThat(isolation.execCommand(List.of("id"), security, java.util.Optional.empty()))
                .containsExactly("/usr/bin/setpriv", "--reuid=999", "--regid=998", "--groups=997", "--", "id");
    }
}
