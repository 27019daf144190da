package io.cassandraoperator.local.cli;

/** An operator process of the runtime: its slot ({@code up --operators N}), its process and its Lease identity. */
record RunningOperator(int slot, ProcessHandle process, String identity) {
}
