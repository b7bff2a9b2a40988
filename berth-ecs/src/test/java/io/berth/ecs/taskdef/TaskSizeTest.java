package io.berth.ecs.taskdef;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.error.BerthException;
import io.berth.core.error.ErrorCode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TaskSizeTest {

    @ParameterizedTest(name = "cpu \"{0}\" is {1} units")
    @CsvSource(delimiter = '|', value = {
            "1024|1024", "256|256", "1 vCPU|1024", "1 vcpu|1024", "1vCPU|1024", "0.25 vCPU|256", "0.5 vcpu|512",
            "2 vCPUs|2048", "16 vCPU|16384", " 512 |512"})
    void readsCpu(String text, int units) {
        assertThat(TaskSize.parseCpu(text)).isEqualTo(units);
    }

    @ParameterizedTest(name = "memory \"{0}\" is {1} MiB")
    @CsvSource(delimiter = '|', value = {
            "2048|2048", "2 GB|2048", "2GB|2048", "2 gb|2048", "0.5 GB|512", "1.5GB|1536", "30 GB|30720",
            "120 GiB|122880", "512 MiB|512"})
    void readsMemory(String text, int mib) {
        assertThat(TaskSize.parseMemory(text)).isEqualTo(mib);
    }

    @ParameterizedTest(name = "cpu \"{0}\" is refused")
    @ValueSource(strings = {"", "lots", "-1", "0", "1.5", "0.1 vCPU", "1 CPU", "99999999999"})
    void refusesCpu(String text) {
        assertThatThrownBy(() -> TaskSize.parseCpu(text)).isInstanceOfSatisfying(BerthException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER);
            assertThat(e.getMessage()).isEqualTo("Invalid 'cpu' setting for task.");
        });
    }

    @ParameterizedTest(name = "memory \"{0}\" is refused")
    @ValueSource(strings = {"", "much", "0", "2 TB", "0.0001 GB", "-512"})
    void refusesMemory(String text) {
        assertThatThrownBy(() -> TaskSize.parseMemory(text)).isInstanceOfSatisfying(BerthException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER);
            assertThat(e.getMessage()).isEqualTo("Invalid 'memory' setting for task.");
        });
    }

    @ParameterizedTest(name = "Fargate {0} CPU with {1} MiB: {2}")
    @CsvSource({
            "256,512,true", "256,1024,true", "256,2048,true", "256,3072,false", "256,256,false",
            "512,1024,true", "512,4096,true", "512,512,false", "512,5120,false", "512,1536,false",
            "1024,2048,true", "1024,8192,true", "1024,1024,false", "1024,9216,false",
            "2048,4096,true", "2048,16384,true", "2048,17408,false", "2048,3072,false",
            "4096,8192,true", "4096,30720,true", "4096,31744,false", "4096,7168,false",
            "8192,16384,true", "8192,20480,true", "8192,61440,true", "8192,18432,false", "8192,65536,false",
            "16384,32768,true", "16384,40960,true", "16384,122880,true", "16384,36864,false", "16384,131072,false",
            "128,512,false", "3072,8192,false"})
    void knowsFargateSizes(int cpu, int memory, boolean offered) {
        assertThat(TaskSize.fargateOffers(cpu, memory)).isEqualTo(offered);
    }
}
