/** CloudWatch-style metric data points, and the port that services publish them through. */
package io.berth.core.monitoring;
