package dev.bedrocktenant.cli;

import java.util.List;
import java.util.Map;

import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricAlarmRequest;
import software.amazon.awssdk.services.cloudwatch.model.Tag;

/**
 * The settings of an alarm that the {@code alarms} command owns, as it wants them and as CloudWatch describes
 * them: two equal specs need no PutMetricAlarm. What CloudWatch adds (state, ARN, timestamps) is left out.
 */
record AlarmSpec(String name, String description, List<Query> queries, double threshold, String comparisonOperator,
                 int evaluationPeriods, int datapointsToAlarm, String treatMissingData, List<String> alarmActions) {

    /** @param period null for an expression over other queries, which takes theirs */
    record Query(String id, String expression, Integer period, boolean returnData) {
    }

    /**
     * Alarms as soon as one period reaches the threshold, as a limit refuses at it; no data in a period is no
     * traffic, as the exporter sends nothing for it.
     */
    static AlarmSpec of(String name, String description, List<Query> queries, double threshold, String snsTopicArn) {
        return new AlarmSpec(name, description, queries, threshold,
                ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD.toString(), 1, 1, "notBreaching", List.of(snsTopicArn));
    }

    static AlarmSpec of(MetricAlarm alarm) {
        int evaluationPeriods = alarm.evaluationPeriods() == null ? 0 : alarm.evaluationPeriods();
        return new AlarmSpec(alarm.alarmName(), alarm.alarmDescription(),
                alarm.metrics().stream().map(q -> new Query(q.id(), q.expression(), q.period(),
                        q.returnData() == null || q.returnData())).toList(),
                alarm.threshold() == null ? Double.NaN : alarm.threshold(), alarm.comparisonOperatorAsString(),
                // unset DatapointsToAlarm means all of the evaluation periods
                evaluationPeriods, alarm.datapointsToAlarm() == null ? evaluationPeriods : alarm.datapointsToAlarm(),
                alarm.treatMissingData(), alarm.alarmActions());
    }

    /** @param tags taken by CloudWatch when the alarm is created, ignored when it is updated */
    PutMetricAlarmRequest request(Map<String, String> tags) {
        return PutMetricAlarmRequest.builder()
                .alarmName(name).alarmDescription(description)
                .metrics(queries.stream().map(q -> MetricDataQuery.builder().id(q.id()).expression(q.expression())
                        .period(q.period()).returnData(q.returnData()).build()).toList())
                .threshold(threshold).comparisonOperator(comparisonOperator)
                .evaluationPeriods(evaluationPeriods).datapointsToAlarm(datapointsToAlarm)
                .treatMissingData(treatMissingData)
                .actionsEnabled(true).alarmActions(alarmActions)
                .tags(tags.entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build()).toList())
                .build();
    }
}
