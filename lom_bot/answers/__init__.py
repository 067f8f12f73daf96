"""Acks first, answers after: in HTTP mode the web processes store each request whose ack
carries nothing in the inbox and ack it at once; answer workers, at a lower CPU priority, answer
it with the same Bolt app. See ingress.py (web side), worker.py (answer side), wakeup.py."""
