/**
 * The agent's wire format: the bodies the member agent's HTTP API ({@link io.cassandraoperator.api.Contract.AgentApi})
 * sends and receives. The agent serves them, the operator's client reads them and the test fakes answer with them, so
 * the three can never disagree. Fields are only ever added; readers ignore fields they do not know.
 */
package io.cassandraoperator.api.agent;
