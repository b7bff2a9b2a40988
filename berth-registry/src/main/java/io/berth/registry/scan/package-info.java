/**
 * Basic image scanning: package inventory from layers (dpkg, apk), matched against OSV vulnerability
 * files ({@link io.berth.registry.scan.OsvDatabase}); {@link io.berth.registry.scan.ImageScanner}
 * runs scans and keeps findings.
 */
package io.berth.registry.scan;
