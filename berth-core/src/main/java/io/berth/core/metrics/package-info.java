/** The port through which every module records Berth's own operational metrics. */
package io.berth.core.metrics;
