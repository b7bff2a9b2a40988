/**
 * ECS's cluster query language: {@link io.berth.scheduler.query.ClusterQuery} parses an expression
 * and tells whether a container instance matches it. Pure: no clock (registeredAt compares with
 * the dates written in the expression), no I/O.
 */
package io.berth.scheduler.query;
