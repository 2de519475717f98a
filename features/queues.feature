Feature: FreeClimb holds a call in a queue until it is dequeued
  Enqueue puts the call in a queue and plays the waitUrl's PerCL to it, requesting it again each
  time it runs out. A Dequeue, through REST or in the wait script, ends the wait: the Enqueue
  actionUrl hears dequeue with queueResult dequeued, and its answer continues the call. A caller
  who hangs up while waiting is reported there too, as removeFromQueueNotification.

  @clause:Q01 @fault:enqueue-not-listed @fault:queue-position-zero-based @fault:no-queue-notification
  Scenario: a queued call waits at the front, and the notificationUrl hears it joined
    Given a queue made through REST
    When "ava" is dialled and the app puts the call in the queue
    Then "ava" waits in the queue at position 1
    And the notificationUrl hears that "ava" joined the queue

  @clause:Q01 @mock-only @fault:wait-not-looped
  Scenario: the wait script is requested again once it has run out
    Given a queue made through REST
    When "bea" is dialled and the app puts the call in the queue
    Then the wait URL of "bea" is requested again once its script has run

  @clause:Q02 @fault:rest-dequeue-ignored @fault:dequeue-answer-ignored @fault:departed-still-listed
  Scenario: a call dequeued through REST continues with the actionUrl's answer
    Given a queue made through REST
    When "cal" is dialled and the app puts the call in the queue
    And "cal" is taken out of the queue through REST
    Then the queue wait of "cal" ends with queueResult "dequeued"
    And "cal"'s call continues at its redirect
    And "cal" is no longer a member of the queue

  @clause:Q02 @fault:percl-dequeue-ignored
  Scenario: a Dequeue in the wait script ends the wait
    Given a queue made through REST
    When "dot" is dialled and the app puts the call in the queue with a wait script that dequeues it
    Then the queue wait of "dot" ends with queueResult "dequeued"

  @clause:Q03 @fault:queue-hangup-unreported @fault:departed-still-listed @fault:rest-hangup-ignored
  Scenario: a caller who hangs up while queued is reported and leaves the queue
    Given a queue made through REST
    When "eve" is dialled and the app puts the call in the queue
    And "eve" hangs up
    Then the queue wait of "eve" ends with queueResult "hangup"
    And "eve" is no longer a member of the queue
