package io.qingliu.project.support;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.ZoneId;

/** Qingliu's own settings, under {@code qingliu.} (environment: {@code QINGLIU_…}). */
@ConfigMapping(prefix = "qingliu")
public interface QingliuConfig {

    /** Time zone of the programme: effective dates may not lie after today there. */
    @WithDefault("Asia/Shanghai")
    ZoneId timeZone();

    /** Division list handling. */
    Divisions divisions();

    /** Division list handling. */
    interface Divisions {
        /**
         * The list imported at first start, when the registry holds no division yet:
         * {@code classpath:…} or a file path of a 4-column list, a directory holding the national
         * five-file list, or {@code none}.
         */
        @WithDefault("classpath:divisions/ziyang-5120.csv")
        String initialImport();
    }
}
