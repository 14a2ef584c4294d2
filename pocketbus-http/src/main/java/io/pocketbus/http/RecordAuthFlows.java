package io.pocketbus.http;

/**
 * Registers the auth flow endpoints beyond password login and refresh: verification, password reset, email
 * change, OTP, impersonation, OAuth2, and the settings' test mail and Apple client secret.
 */
final class RecordAuthFlows {
    private RecordAuthFlows() {
    }

    static void bind(RouterGroup api, RateLimits limits, RecordAuthResponse authResponse,
                     OAuth2RedirectTarget oauth2Redirects, RecordCrudApi records) {
        ResendThrottle verificationMails = new ResendThrottle();
        ResendThrottle passwordResetMails = new ResendThrottle();
        RouterGroup collection = api.group("/collections/{collection}");
        new RecordAuthVerificationApi(verificationMails).bind(collection, limits);
        new RecordAuthPasswordResetApi(passwordResetMails).bind(collection, limits);
        RecordAuthEmailChangeApi.bind(collection, limits);
        new RecordAuthOtpApi(limits, authResponse).bind(collection);
        new RecordAuthImpersonateApi(authResponse).bind(collection);
        new RecordAuthOAuth2Api(authResponse, oauth2Redirects, records).bind(api, collection, limits);
        SettingsTestEmailApi.bind(api);
        AppleClientSecretApi.bind(api);
    }
}
