# The reference for `benchmarks/loop_fit.py --whole`: the loop fitted as mlVAR users fit it,
# with lme4 (one multilevel model per outcome, random intercept and random slopes, predictors
# centred within person), as one whole process from diary CSV to per-person estimates.
#
# Usage: Rscript benchmarks/loop_lme4.R DIARY.csv ESTIMATES.csv
# Input: the diary CSV of `nearer loop fit` (person_id,date,mood,closeness; blanks = missing).
# Output: person_id,n_pairs,mood_inertia,closeness_to_mood,mood_to_closeness,closeness_inertia
# Pairs are consecutive calendar days of one person with both answers on both days, as in Nearer.
suppressPackageStartupMessages(library(lme4))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], colClasses = c(person_id = "character", date = "character",
                                     mood = "numeric", closeness = "numeric"))
d$day <- as.integer(as.Date(d$date, format = "%Y-%m-%d"))
d <- d[order(d$person_id, d$day), ]
n <- nrow(d)
same <- c(FALSE, d$person_id[-1] == d$person_id[-n] & diff(d$day) == 1)
prev <- c(NA, seq_len(n - 1))
ok <- same & !is.na(d$mood) & !is.na(d$closeness)
ok[ok] <- !is.na(d$mood[prev[ok]]) & !is.na(d$closeness[prev[ok]])
i <- which(ok)
pr <- data.frame(pid = d$person_id[i], mood = d$mood[i], clos = d$closeness[i],
                 mood_l = d$mood[i - 1], clos_l = d$closeness[i - 1])
# Within-person centring of the lagged predictors (person means over their pairs).
pr$mood_lc <- pr$mood_l - ave(pr$mood_l, pr$pid)
pr$clos_lc <- pr$clos_l - ave(pr$clos_l, pr$pid)
ctl <- lmerControl(calc.derivs = FALSE)
fm <- lmer(mood ~ mood_lc + clos_lc + (mood_lc + clos_lc | pid), data = pr, control = ctl)
fc <- lmer(clos ~ mood_lc + clos_lc + (mood_lc + clos_lc | pid), data = pr, control = ctl)
cm <- coef(fm)$pid
cc <- coef(fc)$pid
np <- table(pr$pid)
ids <- rownames(cm)
out <- data.frame(person_id = ids, n_pairs = as.integer(np[ids]),
                  mood_inertia = cm[ids, "mood_lc"], closeness_to_mood = cm[ids, "clos_lc"],
                  mood_to_closeness = cc[ids, "mood_lc"], closeness_inertia = cc[ids, "clos_lc"])
write.csv(out, args[2], row.names = FALSE)
