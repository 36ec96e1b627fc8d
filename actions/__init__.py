"""Custom actions and the knowledge-base query API of the childhood ALL PDQ assistant.

Rasa-free modules: knowledge_base, verbatim, text_processing, retrieval, term_matching, topic_resolution,
answers, reply_contract, risk_groups, safety, services. Rasa action classes: answer_actions, risk_group_actions,
session_actions.
"""
