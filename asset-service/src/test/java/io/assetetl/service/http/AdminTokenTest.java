package io.assetetl.service.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminTokenTest {

    private final AdminToken token = new AdminToken(Optional.of("s3cret-token"));

    @Test
    void acceptsTheConfiguredBearerToken() {
        assertThatCode(() -> token.check("Bearer s3cret-token")).doesNotThrowAnyException();
        assertThatCode(() -> token.check("bearer s3cret-token")).doesNotThrowAnyException();
    }

    @Test
    void missingMalformedOrWrongTokensAre401() {
        for (String header : new String[] {null, "", "s3cret-token", "Basic s3cret-token", "Bearer ",
                "Bearer s3cret-toke", "Bearer s3cret-token2", "Bearer S3CRET-TOKEN"}) {
            ApiException e = catchThrowableOfType(ApiException.class, () -> token.check(header));
            assertThat(e).as(String.valueOf(header)).isNotNull();
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.getMessage()).doesNotContain("s3cret");
        }
    }

    @Test
    void withoutAConfiguredTokenEveryRequestIs403() {
        for (Optional<String> none : java.util.List.of(Optional.<String>empty(), Optional.of("  "))) {
            ApiException e = catchThrowableOfType(ApiException.class,
                    () -> new AdminToken(none).check("Bearer anything"));
            assertThat(e.status()).isEqualTo(403);
        }
    }
}
