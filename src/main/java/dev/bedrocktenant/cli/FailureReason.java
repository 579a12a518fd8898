package dev.bedrocktenant.cli;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** What went wrong, in one line: the AWS error code and message, else the exception's own. */
final class FailureReason {

    private FailureReason() {
    }

    static String of(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
            return aws.awsErrorDetails().errorCode() + ": " + aws.awsErrorDetails().errorMessage();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
