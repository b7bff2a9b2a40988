package io.berth.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ImageReferenceTest {

    @ParameterizedTest
    @CsvSource({
        "busybox,                                  busybox,                      latest",
        "busybox:1.36,                             busybox,                      1.36",
        "127.0.0.1:1/nope:1,                       127.0.0.1:1/nope,             1",
        "localhost:5000/team/app,                  localhost:5000/team/app,      latest",
        "registry:5000/app@sha256:0123abcd,        registry:5000/app,            sha256:0123abcd",
        "app:1.2@sha256:0123abcd,                  app,                          sha256:0123abcd",
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v7, 123456789012.dkr.ecr.us-east-1.amazonaws.com/web, v7",
    })
    void splitsIntoRepositoryAndTagOrDigest(String reference, String repository, String tag) {
        assertThat(ImageReference.parse(reference)).isEqualTo(new ImageReference(repository, tag));
    }

    @Test
    void refusesAnEmptyReference() {
        assertThatThrownBy(() -> ImageReference.parse(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
