/**
 * A faithful PersistIQ REST API simulator served over real HTTP on the loopback interface.
 *
 * <p>{@link io.persistiqsync.simulator.PersistIqSimulator} starts the server;
 * {@link io.persistiqsync.simulator.SimulatedAccount} holds the (lazily generated, deterministic)
 * data and lets tests change it; {@link io.persistiqsync.simulator.FaultPlan} injects failures and
 * {@link io.persistiqsync.simulator.RequestLog} records what clients asked. The behaviour follows the
 * shared contract {@code persistiq-api.md} (sections 1 to 10); where the contract is silent the
 * choice is documented on the class that makes it.
 */
package io.persistiqsync.simulator;
