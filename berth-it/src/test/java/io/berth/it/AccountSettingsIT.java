package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.Setting;
import software.amazon.awssdk.services.ecs.model.SettingName;

class AccountSettingsIT {
    private static BerthFixture berth;
    private EcsClient ecs;

    @BeforeAll
    static void start() throws Exception {
        berth = new BerthFixture();
    }

    @AfterAll
    static void stop() throws Exception {
        berth.close();
    }

    @BeforeEach
    void clean() throws Exception {
        berth.reset();
        ecs = berth.ecs();
    }

    @Test
    void putListDeleteAndDefaults() {
        Setting put = ecs.putAccountSetting(r -> r.name(SettingName.CONTAINER_INSIGHTS).value("enhanced")).setting();
        assertThat(put.value()).isEqualTo("enhanced");
        assertThat(put.principalArn()).isEqualTo("arn:aws:iam::000000000000:root");

        assertThat(ecs.listAccountSettings(r -> r.name(SettingName.CONTAINER_INSIGHTS)).settings())
                .singleElement().satisfies(s -> assertThat(s.value()).isEqualTo("enhanced"));
        assertThat(ecs.listAccountSettings(r -> r.effectiveSettings(true)).settings()).isNotEmpty()
                .anySatisfy(s -> {
                    assertThat(s.name()).isEqualTo(SettingName.TASK_LONG_ARN_FORMAT);
                    assertThat(s.value()).isEqualTo("enabled");
                });
        assertThat(ecs.listAccountSettingsPaginator(r -> r.effectiveSettings(true).maxResults(3)).settings())
                .hasSizeGreaterThan(5);

        ecs.putAccountSettingDefault(r -> r.name(SettingName.AWSVPC_TRUNKING).value("enabled"));
        assertThat(ecs.listAccountSettings(r -> r.name(SettingName.AWSVPC_TRUNKING).effectiveSettings(true)).settings())
                .singleElement().satisfies(s -> assertThat(s.value()).isEqualTo("enabled"));

        ecs.deleteAccountSetting(r -> r.name(SettingName.CONTAINER_INSIGHTS));
        assertThat(ecs.listAccountSettings(r -> r.name(SettingName.CONTAINER_INSIGHTS)).settings()).isEmpty();
        assertThatThrownBy(() -> ecs.putAccountSetting(r -> r.name(SettingName.CONTAINER_INSIGHTS).value("sometimes")))
                .isInstanceOf(InvalidParameterException.class);
    }
}
