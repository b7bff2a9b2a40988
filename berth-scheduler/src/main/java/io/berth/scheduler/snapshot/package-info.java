/**
 * What the scheduler knows of a cluster: immutable views of container instances and the live
 * tasks on them, built by the caller from the store. Shared by placement and the cluster query
 * language.
 */
package io.berth.scheduler.snapshot;
