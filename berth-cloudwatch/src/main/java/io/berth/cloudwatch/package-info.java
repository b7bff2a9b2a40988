/**
 * CloudWatch metrics: the API (PutMetricData, GetMetricStatistics, GetMetricData, ListMetrics) and
 * the in-memory metric store that also receives the AWS/ECS metrics Berth publishes.
 */
package io.berth.cloudwatch;
